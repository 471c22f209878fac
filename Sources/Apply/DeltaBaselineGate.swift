import Extract
import Foundation
import Manifest
import Plan
import ReconCore
import Remote
import State

/// Checks and writes the delta baseline (`DeltaBaseline`) of a local state (issue 12, goal 4). A whole-scope run whose
/// facts match the baseline, against a base that logged no write since the apply's mark, and whose every repo was read
/// on from the very sealed entry the apply's records were, plans only the records that can differ: those read now,
/// the keys that came or went, and the baseline's standing keys. Any doubt means the full path.
struct DeltaBaselineGate {
    var manifest: Manifest
    var store: StateStore
    var stateDirectory: String
    var runs: any RunStore

    var path: String { DeltaBaseline.path(stateDirectory: stateDirectory, target: manifest.target.identifier, statePath: store.path) }

    /// False when the baseline folder (or `cache`) is a symlink: then none is read, written or removed there.
    private var usable: Bool { StateFolderGuard.isPlain(PrivateFile.directoryOf(path), below: stateDirectory) }

    // MARK: The delta run

    /// Facts checked before the state is loaded.
    struct Checked {
        var baseline: DeltaBaseline
        var schema: RemoteSchema
        var reader: any KeyedRefreshing
        var tracking: any ChangeTracking
        /// The state file's identity (`NoChangeSealPlace.stateFact`), compared again once the state is loaded.
        var stateFact: String
    }

    /// The baseline when every fact it holds that can be checked before the state is loaded is still true and the base
    /// logged no write since its mark; the state file's digest is compared once it is loaded (`read`).
    func check(provider: any BaseProvider, now: Date = Date()) -> Checked? {
        guard usable, let reader = provider as? any KeyedRefreshing, let tracking = provider as? any ChangeTracking,
              let fact = NoChangeSealPlace.local(store, stateDirectory: stateDirectory, target: manifest.target.identifier).stateFact(),
              let bytes = try? AtomicFile.read(path), let baseline = DeltaBaseline.decode(bytes),
              baseline.toolVersion == NoChangeSeal.toolIdentity, baseline.target == manifest.target.identifier,
              baseline.manifestDigest == manifest.digest else { return nil }
        if let after = baseline.fullRefreshAfter, Int(now.timeIntervalSince1970) - baseline.markedAt >= after { return nil }
        guard LocalStateFacts.newestRun(runs) == baseline.lastRun,
              let schema = try? provider.inspectSchema(),
              (try? tracking.isUnchanged(since: ChangeMark(token: baseline.mark, fullRefreshAfter: baseline.fullRefreshAfter),
                                         tables: schema.tables)) == true else { return nil }
        return Checked(baseline: baseline, schema: schema, reader: reader, tracking: tracking, stateFact: fact)
    }

    /// The keys a delta plan plans and the base records they need, read by key and by the state's ids; nil when the
    /// run must take the full path (a state other than the one the apply wrote, a repo not read on from the baseline's
    /// entry, a table not as the apply left it, the state or the base moved meanwhile). `stateDigest` is the SHA-256 the
    /// load took of the state file's bytes (`StateStore.loadWithDigest`): the file is hashed once per run, not twice.
    func read(_ checked: Checked, state: StateModel, stateDigest: String?, extraction: ExtractResult) throws
        -> (delta: PlanDelta, snapshot: RemoteSnapshot)? {
        let baseline = checked.baseline
        guard stateDigest == baseline.stateDigest,
              NoChangeSealPlace.local(store, stateDirectory: stateDirectory, target: manifest.target.identifier).stateFact()
                == checked.stateFact,
              Set(extraction.repos.map(\.name)) == Set(baseline.entries.keys),
              extraction.repos.allSatisfy({ $0.readOn != nil && $0.readOn == baseline.entries[$0.name] }),
              // A table the state knows but the manifests no longer declare is the full path's (its forgets, its schema).
              state.records.keys.allSatisfy({ manifest.table(named: $0) != nil }) else { return nil }
        // The records by table, each table's in key order: found by range, not gathered into sets of 100,000 keys.
        guard let ranges = Self.tableRanges(extraction.records) else { return nil }
        var readNow: [String: Set<String>] = [:]
        for repo in extraction.repos {
            for (table, read) in repo.readNow { readNow[table, default: []].formUnion(read) }
        }
        var keys: [String: Set<String>] = [:]
        var unmanaged: [String: Int] = [:]
        var recordKeys: [String: String] = [:]
        var records: [String: [RemoteRecord]] = [:]
        for spec in manifest.tables {
            let name = spec.name
            guard let table = checked.schema.table(id: state.tables[name]?.id, named: name) else { return nil }
            let desired = extraction.records[ranges[name] ?? 0..<0]
            let managed = state.records[name] ?? [:]
            var planned = (readNow[name] ?? []).union(baseline.standing[name] ?? [])
            // Keys that came (desired, not held) and went (held, not desired). Desired keys are distinct, so when every
            // held key was met among them none went, and the held keys need no pass of their own.
            var heldAndDesired = 0
            for index in desired.indices {
                if managed[desired[index].key] == nil { planned.insert(desired[index].key) } else { heldAndDesired += 1 }
            }
            if heldAndDesired < managed.count {
                let desiredKeys = Set(desired.lazy.map(\.key))
                for key in managed.keys where !desiredKeys.contains(key) { planned.insert(key) }
            }
            keys[name] = planned
            let outside = baseline.outside[name] ?? [:]
            unmanaged[name] = outside.values.reduce(0) { count, key in count + (key.map { Self.holds(desired, key: $0) } == true ? 0 : 1) }
            for (id, key) in outside { if let key { recordKeys[id] = key } }
            let sorted = planned.sorted()
            records[name] = try checked.reader.readRecords(keys: sorted, field: spec.key.value,
                                                           orIDs: sorted.compactMap { managed[$0]?.id }, in: table)
        }
        // A write that raced the reads: the records read may be of two moments.
        guard (try? checked.tracking.isUnchanged(since: ChangeMark(token: baseline.mark, fullRefreshAfter: baseline.fullRefreshAfter),
                                                 tables: checked.schema.tables)) == true else { return nil }
        return (PlanDelta(keys: keys, unmanaged: unmanaged, recordKeys: recordKeys),
                RemoteSnapshot(schema: checked.schema, records: records))
    }
}

extension DeltaBaselineGate {
    /// Each table's range of `records`; nil unless they are in strictly ascending (table, key) order, as an extraction
    /// returns them: then each table's keys are distinct and in order (`holds`). Otherwise the full path plans the run.
    static func tableRanges(_ records: [DesiredRecord]) -> [String: Range<Int>]? {
        var ranges: [String: Range<Int>] = [:]
        var start = 0
        for index in records.indices {
            guard index > 0 else { continue }
            if records[index - 1].table == records[index].table {
                guard records[index - 1].key < records[index].key else { return nil }
                continue
            }
            guard records[index - 1].table < records[index].table else { return nil }
            ranges[records[index - 1].table] = start..<index
            start = index
        }
        if let last = records.last { ranges[last.table] = start..<records.endIndex }
        return ranges
    }

    /// Whether one table's records, in ascending key order, hold `key`: a binary search.
    static func holds(_ records: ArraySlice<DesiredRecord>, key: String) -> Bool {
        var low = records.startIndex, high = records.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if records[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low < records.endIndex && records[low].key == key
    }
}

extension DeltaBaselineGate {
    // MARK: After an apply

    /// Records the baseline of a whole-scope apply (no file) that succeeded, under the lock after its last write and
    /// its state write; else removes any. Nothing is written when the keys the apply left planning to something are
    /// not exactly known (`standing`). `stateDigest`: the SHA-256 the state write returned of what it wrote (the journal
    /// folded), so the file is not hashed again; without it the file is. `trackedFrom`: the base's mark once the apply
    /// made every table tracked (`Applier.Result.trackedFrom`).
    func record(plan: Plan, refreshed: Refreshed, state: StateModel, stateDigest: String? = nil, trackedFrom: ChangeMark? = nil,
                provider: any BaseProvider, now: Date = Date()) {
        guard usable else { return }
        guard let baseline = baseline(plan: plan, refreshed: refreshed, state: state, stateDigest: stateDigest,
                                      trackedFrom: trackedFrom, provider: provider, now: now) else {
            return remove()
        }
        try? PrivateFile.createDirectory(PrivateFile.directoryOf(path))
        if (try? AtomicFile.write(baseline.encoded(), to: path)) == nil { remove() }
    }

    /// No baseline: the next run takes the full path.
    func remove() {
        if usable { _ = unlink(path) }
    }

    private func baseline(plan: Plan, refreshed: Refreshed, state: StateModel, stateDigest: String?, trackedFrom: ChangeMark?,
                          provider: any BaseProvider, now: Date) -> DeltaBaseline? {
        // The mark vouches for what the apply left, so nothing but the apply may have changed the base since the plan
        // read it: nothing at all up to its first record write (a first apply read no table), then only its own writes.
        let quietUntilTracked = refreshed.readSince.map { $0 == trackedFrom } ?? refreshed.snapshot.schema.tables.isEmpty
        guard quietUntilTracked, let trackedFrom, plan.scope.isAll, plan.rollbackOf == nil, let entries = refreshed.entries,
              let standing = Self.standing(plan, manifest), let tracking = provider as? any ChangeTracking, provider is any KeyedRefreshing,
              let schema = try? provider.inspectSchema(),
              let mark = (try? tracking.markAfterOwnWrites(since: trackedFrom, tables: schema.tables)) ?? nil,
              let digest = stateDigest ?? LocalStateFacts.stateDigest(store) else { return nil }
        // The base records the state does not hold: of those known before the apply, the ones it neither took into the
        // state (created, adopted) nor deleted. Unmanaged records are never written, so their keys are as read.
        let deleted = Set(plan.recordChanges.filter { $0.action == .delete }.compactMap(\.remoteID))
        var outside: [String: [String: String?]] = [:]
        for spec in manifest.tables {
            let held = Set((state.records[spec.name] ?? [:]).values.map(\.id))
            var known = refreshed.outside?[spec.name] ?? [:]
            for record in refreshed.snapshot.records[spec.name] ?? [] {
                if case .text(let key)? = record.fields[spec.key.value] { known[record.id] = key } else { known[record.id] = .some(nil) }
            }
            let left = known.filter { !held.contains($0.key) && !deleted.contains($0.key) }
            if !left.isEmpty { outside[spec.name] = left }
        }
        return DeltaBaseline(toolVersion: NoChangeSeal.toolIdentity, target: manifest.target.identifier, manifestDigest: manifest.digest,
                             entries: entries, stateDigest: digest, lastRun: LocalStateFacts.newestRun(runs), mark: mark.token,
                             fullRefreshAfter: mark.fullRefreshAfter, markedAt: Int(now.timeIntervalSince1970),
                             standing: standing, outside: outside)
    }

    /// The keys the applied plan leaves planning to something next time: reported drift, protected skips, integrity
    /// errors, changes blocked by a manual step. Every other change converges (the base and the state then hold what
    /// was written). Nil when that is not certain: a recreate or a key edit (other records' links read through the
    /// ids), a schema change beyond created tables and fields (field names, adopted rows), a change of a table the
    /// manifests do not declare.
    static func standing(_ plan: Plan, _ manifest: Manifest) -> [String: Set<String>]? {
        for change in plan.schemaChanges {
            switch change {
            case .createTable, .createField: continue
            default: return nil
            }
        }
        var standing: [String: Set<String>] = [:]
        // Each table's key field looked up once, and each change read in place: a copy of each of 100,000 creates and a
        // search of the tables for each were 3.6% of a 100,000-create apply's samples (issue 12).
        let keyFields = Dictionary(manifest.tables.map { ($0.name, $0.key.value) }, uniquingKeysWith: { first, _ in first })
        let changes = plan.recordChanges
        for index in changes.indices {
            guard let keyField = keyFields[changes[index].table] else { return nil }
            guard changes[index].action != .recreate,
                  !changes[index].fields.contains(where: { $0.name == keyField && ($0.kind == .drift || $0.kind == .driftReported) })
            else { return nil }
            if changes[index].blockedBy != nil || changes[index].fields.contains(where: { $0.kind == .driftReported }) {
                standing[changes[index].table, default: []].insert(changes[index].key)
            }
        }
        for skip in plan.protectedSkips { standing[skip.table, default: []].insert(skip.key) }
        for error in plan.integrityErrors { standing[error.table, default: []].insert(error.key) }
        return standing
    }
}
