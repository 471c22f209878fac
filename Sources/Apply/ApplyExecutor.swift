import Manifest
import Plan
import ReconCore
import Remote
import State

/// Executes a checked plan in the design's order — schema, creates, updates, links to new records,
/// deletes — in batches of the provider's limit, journaling the state after every batch so a crash
/// loses at most the batch in flight.
final class ApplyExecutor {
    private let plan: Plan
    private let manifest: Manifest
    private let provider: any BaseProvider
    private let journal: any StateBatchLog
    private let observer: (any ApplyObserver)?
    private let shouldStop: () -> Bool
    private let mayWrite: () throws -> Void
    /// Adds before-images to the run's backup: a create whose upsert landed on an existing record.
    private let keepBeforeImages: (String, [RemoteRecord]) throws -> Void
    private(set) var state: StateModel
    private(set) var counters = RunCounters()
    private(set) var schemaChanges = 0
    /// The base's change mark once every table is tracked, before the first record write.
    private(set) var trackedFrom: ChangeMark?
    private var links: LinkIDResolver
    private var schema = RemoteSchema(tables: [])
    /// Link cells of created records waiting for their targets: table → (record id, key, field → keys).
    private var deferredLinks: [(table: String, id: String, key: String, fields: [String: FieldValue], state: FieldCells)] = []
    private var writtenBatches = 0
    private var intents = 0

    enum Stop: Error { case cancelled }

    init(plan: Plan, manifest: Manifest, provider: any BaseProvider, state: StateModel, journal: any StateBatchLog,
         observer: (any ApplyObserver)?, shouldStop: @escaping () -> Bool, mayWrite: @escaping () throws -> Void,
         keepBeforeImages: @escaping (String, [RemoteRecord]) throws -> Void = { _, _ in }) {
        self.plan = plan
        self.manifest = manifest
        self.provider = provider
        self.state = state
        self.journal = journal
        self.observer = observer
        self.shouldStop = shouldStop
        self.mayWrite = mayWrite
        self.keepBeforeImages = keepBeforeImages
        // Ids of the tables links point at only: the others are never looked up (and may hold 100k records).
        let targets = LinkIDResolver.targets(of: manifest)
        var known: [String: [String: String]] = state.records.filter { targets.contains($0.key) }.mapValues { $0.mapValues(\.id) }
        for change in plan.recordChanges where targets.contains(change.table) {
            if let id = change.remoteID, change.action != .delete { known[change.table, default: [:]][change.key] = id }
        }
        links = LinkIDResolver(manifest: manifest, state: known)
    }

    /// Rows of a table this run adopted got their ids in the schema phase: the plan's adopts find them by key,
    /// and their before-images go to the backup, so a rollback can put the values back.
    private func addressAdopted(_ changes: [RecordChange]) throws -> [RecordChange] {
        var ids: [String: [String: String]] = [:]
        for case .adoptTable(let name, let keyField, _) in plan.schemaChanges {
            guard let table = schema.table(id: state.tables[name]?.id, named: name) else { continue }
            let keys = changes.filter { $0.table == name && $0.remoteID == nil && $0.action == .adopt }.map(\.key)
            let records = try provider.readRecords(keys: keys, field: keyField, in: table)
            try keepBeforeImages(name, records)
            for record in records {
                guard case .text(let key)? = record.fields[keyField] else { continue }
                ids[name, default: [:]][key] = record.id
                links.learn(table: name, key: key, id: record.id)
            }
        }
        guard !ids.isEmpty else { return changes }
        return changes.map { change in
            guard change.remoteID == nil, change.action == .adopt, let id = ids[change.table]?[change.key] else { return change }
            var addressed = change
            addressed.remoteID = id
            return addressed
        }
    }

    /// Runs every phase; throws `Stop.cancelled` between batches when asked to stop.
    func run() throws {
        // The plan's own array unless something is blocked: filtering copies every change (100k of them).
        var runnable = plan.recordChanges
        if runnable.contains(where: { $0.blockedBy != nil }) {
            runnable = runnable.filter { change in
                guard change.blockedBy == nil else {
                    counters.skipped += 1
                    observer?.recordFinished(EntityOutcome(table: change.table, key: change.key, action: change.action,
                                                           recordID: change.remoteID, status: .skipped,
                                                           error: "waits on the manual step for \(change.blockedBy!)"))
                    return false
                }
                return true
            }
        }
        observer?.phaseStarted(.schema, total: plan.schemaChanges.count)
        try checkStop()
        schemaChanges = try SchemaApplier(provider: provider, manifest: manifest, tableIDs: state.tables.mapValues(\.id)).apply(plan.schemaChanges)
        schema = try provider.inspectSchema()
        TestKillPoint.schemaApplied()
        // Under the lock, before any record write: from now on a write made outside Recon is logged (issue 12).
        if let tracking = provider as? any ChangeTracking {
            try tracking.installChangeTracking(tables: schema.tables)
            trackedFrom = try? tracking.changeMark(tables: schema.tables)
            // A table made just now was untracked until the line above: a row written into it meanwhile was logged
            // nowhere, so the mark vouches only if such tables are still empty (checked after it: a row written since
            // the install is logged).
            let made = Set(plan.schemaChanges.compactMap { change -> String? in
                if case .createTable(let name, _, _) = change { name } else { nil }
            })
            if trackedFrom != nil, !made.isEmpty, (try? tracking.holdsNoRecords(schema.tables.filter { made.contains($0.name) })) != true {
                trackedFrom = nil
            }
        }
        // Only ids that moved: a journal line for nothing would move the serial of a run that wrote nothing.
        let tables = tableStates()
        if !tables.isEmpty { try journal.append(tables, to: &state) }
        runnable = try addressAdopted(runnable)
        try checkStop()

        let ordered = manifest.tables.map(\.name)
        // Only changes that send something to the base take batch slots; the rest go to the state phase.
        // A table's changes that lie together in the plan (as a plan lists its creates) are a slice of it; others
        // are copied, once each (copying 100k creates was a tenth of the creates phase's retains, issue 12).
        func byTable(_ actions: Set<RecordAction>) -> [(String, ArraySlice<RecordChange>)] {
            var chosen: [String: [Int]] = [:]
            for index in runnable.indices where actions.contains(runnable[index].action) && runnable[index].writesBase {
                chosen[runnable[index].table, default: []].append(index)
            }
            return ordered.compactMap { name in
                guard let indices = chosen[name], let first = indices.first, let last = indices.last else { return nil }
                if last - first + 1 == indices.count { return (name, runnable[first...last]) }
                return (name, ArraySlice(indices.map { runnable[$0] }))
            }
        }
        let creates = byTable([.create, .recreate])
        try runPhase(.creates, creates, create)
        try runPhase(.updates, byTable([.update, .adopt, .archive]), update)
        try runLinkPass()
        try runPhase(.deletes, byTable([.delete]), delete)

        observer?.phaseStarted(.state, total: 0)
        var changes: [StateChange] = []
        for change in runnable where !change.writesBase {
            switch change.action {
            case .forget: changes.append(.removeRecord(table: change.table, key: change.key))
            case .refreshState, .adopt, .update, .archive:
                if let id = change.remoteID, let values = change.stateValues {
                    changes.append(.putRecord(table: change.table, key: change.key,
                                              record: ManagedRecord(id: id, values: values, adopted: change.stateAdopted ?? [:])))
                }
                if change.action == .adopt {
                    counters.adopted += 1
                    observer?.recordFinished(EntityOutcome(table: change.table, key: change.key, action: .adopt, recordID: change.remoteID, status: .ok))
                }
            default: break
            }
        }
        for (name, commit) in plan.repoCommits.sorted(by: { $0.key < $1.key }) {
            changes.append(.putRepo(name: name, repo: RepoState(commit: commit)))
        }
        if !changes.isEmpty {
            try mayWrite()
            observer?.batchWritten(.state)
            try journal.append(changes, to: &state)
        }
    }

    // MARK: Phases

    private typealias BatchWriter = (String, RemoteTable, ArraySlice<RecordChange>) throws -> [StateChange]

    private func runPhase(_ phase: ApplyPhase, _ tables: [(String, ArraySlice<RecordChange>)], _ write: BatchWriter) throws {
        let total = tables.reduce(0) { $0 + $1.1.count }
        observer?.phaseStarted(phase, total: total)
        guard total > 0 else { return }
        var done = 0
        let size = max(1, provider.limits.maxRecordsPerBatch)
        for (name, changes) in tables {
            guard let table = table(name) else {
                throw ReconError("table '\(name)' is not in the base", hint: "the schema phase did not create it; plan again")
            }
            var start = changes.startIndex
            while start < changes.endIndex {
                try checkStop()
                let batch = changes[start..<min(start + size, changes.endIndex)]
                let counted = counters
                let stateChanges = try write(name, table, batch)
                observer?.batchWritten(phase)
                TestKillPoint.outcomesWritten(writtenBatches)
                do {
                    try journal.append(stateChanges, to: &state)
                } catch {
                    // The state did not take the batch: the failure counts what the state records, as it says.
                    counters = counted
                    throw error
                }
                counters.batches += 1
                done += batch.count
                start += batch.count
                observer?.batchFinished(phase, done: done, total: total)
            }
        }
    }

    private func create(_ tableName: String, _ table: RemoteTable, _ batch: ArraySlice<RecordChange>) throws -> [StateChange] {
        let keyField = manifest.table(named: tableName)?.key.value ?? "Key"
        let linkFields = links.linkFields(of: tableName)
        var records: [FieldCells] = []
        records.reserveCapacity(batch.count)
        var waiting: [[String: FieldValue]] = []
        waiting.reserveCapacity(batch.count)
        // Each record's names in the plan's field order, the key last: sorted into cells once per shape, not a
        // dictionary per record (issue 12).
        var ordering = FieldOrdering()
        var names: [String] = []
        var values: [FieldValue] = []
        for change in batch {
            names.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            var later: [String: FieldValue] = [:]
            // The key cell keeps the spelling of a key field the change lists, as the dictionary did.
            var keyName = keyField
            // The changed fields themselves rather than `writes`, which builds a dictionary per record.
            for field in change.fields where field.kind.writes {
                guard let value = field.after else { continue }
                if field.name == keyField {
                    keyName = field.name
                    continue
                }
                guard !linkFields.isEmpty, let linked = linkFields[field.name] else {
                    names.append(field.name)
                    values.append(value)
                    continue
                }
                if let resolved = links.resolve(value, linkedTo: linked) {
                    names.append(field.name)
                    values.append(resolved)
                } else {
                    later[field.name] = value
                }
            }
            names.append(keyName)
            values.append(.text(change.key))
            records.append(ordering.cells(names, values))
            waiting.append(later)
        }
        intend(.create, tableName, batch)
        let results = try provider.upsert(cells: records, in: table, mergeOn: keyField)
        writtenBatches += 1
        TestKillPoint.batchWritten(writtenBatches)
        // Preflight found no record under these keys; one made since was updated, not created: keep its before-image.
        let landed = results.compactMap(\.previous)
        if !landed.isEmpty { try keepBeforeImages(tableName, landed) }
        var changes: [StateChange] = []
        changes.reserveCapacity(batch.count)
        for (index, change) in batch.enumerated() {
            let id = results[index].record.id
            links.learn(table: tableName, key: change.key, id: id)
            var values = change.stateValues ?? [:]
            if !waiting[index].isEmpty {
                // Recorded only once the link pass writes them, so a crash in between shows as work left, not drift.
                for name in waiting[index].keys { values[name] = nil }
                deferredLinks.append((tableName, id, change.key, waiting[index], change.stateValues ?? [:]))
            }
            changes.append(.putRecord(table: tableName, key: change.key, record: ManagedRecord(id: id, values: values)))
            if results[index].created || results[index].previous == nil {
                counters.created += 1
                observer?.recordFinished(EntityOutcome(table: tableName, key: change.key, action: change.action, recordID: id, status: .ok))
            } else {
                // Recorded as the update it was, so rollback restores the record instead of deleting it.
                counters.updated += 1
                observer?.warning("\(tableName) \(change.key): a record with this key (\(id)) appeared in the base after preflight; "
                                  + "it was updated, not created")
                observer?.recordFinished(EntityOutcome(table: tableName, key: change.key, action: .update, recordID: id, status: .ok))
            }
        }
        return changes
    }

    private func update(_ tableName: String, _ table: RemoteTable, _ batch: ArraySlice<RecordChange>) throws -> [StateChange] {
        var updates: [RecordUpdate] = []
        var recorded: [String: FieldCells] = [:]
        for change in batch {
            guard let id = change.remoteID else { continue }
            var cells: [String: FieldValue?] = [:]
            var values = change.stateValues ?? [:]
            for (name, value) in change.writes {
                let (resolved, missing) = links.resolveKnown(value, field: name, in: tableName)
                if !missing.isEmpty { observer?.warning("\(tableName) \(change.key) \(name): no record for \(missing.joined(separator: ", ")); left out") }
                cells[name] = resolved
                values[name] = LinkIDResolver.written(values[name], leavingOut: missing)
            }
            recorded[change.key] = values
            for name in change.clears { cells[name] = .some(nil) }
            if !cells.isEmpty { updates.append(RecordUpdate(id: id, fields: cells)) }
        }
        intend(.adopt, tableName, batch.filter { $0.action == .adopt })
        if !updates.isEmpty { _ = try provider.update(updates, in: table) }
        writtenBatches += 1
        TestKillPoint.batchWritten(writtenBatches)
        var changes: [StateChange] = []
        for change in batch {
            guard let id = change.remoteID else { continue }
            changes.append(.putRecord(table: tableName, key: change.key, record: ManagedRecord(id: id, values: recorded[change.key] ?? change.stateValues ?? [:],
                                                                                                       adopted: change.stateAdopted ?? [:])))
            switch change.action {
            case .archive: counters.archived += 1
            case .adopt: counters.adopted += 1
            default: counters.updated += 1
            }
            observer?.recordFinished(EntityOutcome(table: tableName, key: change.key, action: change.action, recordID: id, status: .ok))
        }
        return changes
    }

    private func delete(_ tableName: String, _ table: RemoteTable, _ batch: ArraySlice<RecordChange>) throws -> [StateChange] {
        try provider.delete(batch.compactMap(\.remoteID), in: table)
        return batch.map { change in
            counters.deleted += 1
            observer?.recordFinished(EntityOutcome(table: tableName, key: change.key, action: .delete, recordID: change.remoteID, status: .ok))
            return .removeRecord(table: tableName, key: change.key)
        }
    }

    /// Link cells that named records created later in the run, now that every create is done.
    private func runLinkPass() throws {
        observer?.phaseStarted(.links, total: deferredLinks.count)
        guard !deferredLinks.isEmpty else { return }
        let size = max(1, provider.limits.maxRecordsPerBatch)
        let grouped = Dictionary(grouping: deferredLinks, by: \.table)
        var done = 0
        for name in manifest.tables.map(\.name) {
            guard let items = grouped[name], let table = table(name) else { continue }
            var start = 0
            while start < items.count {
                try checkStop()
                let batch = items[start..<min(start + size, items.count)]
                var updates: [RecordUpdate] = []
                var changes: [StateChange] = []
                for item in batch {
                    var cells: [String: FieldValue?] = [:]
                    var values = item.state
                    for (field, value) in item.fields {
                        let (resolved, missing) = links.resolveKnown(value, field: field, in: name)
                        if !missing.isEmpty { observer?.warning("\(name) \(item.key) \(field): no record for \(missing.joined(separator: ", ")); left out") }
                        cells[field] = resolved
                        values[field] = LinkIDResolver.written(values[field], leavingOut: missing)
                    }
                    updates.append(RecordUpdate(id: item.id, fields: cells))
                    changes.append(.putRecord(table: name, key: item.key, record: ManagedRecord(id: item.id, values: values)))
                }
                _ = try provider.update(updates, in: table)
                observer?.batchWritten(.links)
                try journal.append(changes, to: &state)
                counters.batches += 1
                done += batch.count
                start += batch.count
                observer?.batchFinished(.links, done: done, total: deferredLinks.count)
            }
        }
    }

    /// A declared table in the base: by the id the state recorded, else by name.
    private func table(_ name: String) -> RemoteTable? {
        schema.table(id: state.tables[name]?.id, named: name)
    }

    /// The table ids and declared field ids the state maps names to, from the base as it is after the schema
    /// phase, where they moved. Only declared fields: one the manifests dropped is no longer managed.
    private func tableStates() -> [StateChange] {
        manifest.tables.compactMap { spec in
            guard let table = table(spec.name) else { return nil }
            let known = state.tables[spec.name]?.fields ?? [:]
            var fields: [String: String] = [:]
            for field in spec.fields {
                if let id = known[field.name], table.field(id: id) != nil {
                    fields[field.name] = id
                } else if let found = table.field(named: field.name) {
                    fields[field.name] = found.id
                }
            }
            let found = TableState(id: table.id, fields: fields)
            return state.tables[spec.name] == found ? nil : .putTable(name: spec.name, table: found)
        }
    }

    /// The write-ahead line of a batch that puts records under management (see `InFlightRecovery`).
    private func intend(_ action: RecordAction, _ tableName: String, _ changes: some Collection<RecordChange>) {
        guard !changes.isEmpty else { return }
        intents += 1
        observer?.batchIntended(BatchIntent(action: action, table: tableName, keys: changes.map(\.key), batch: intents))
    }

    /// Before every batch: a lost lock fails the run, a cancellation stops it.
    private func checkStop() throws {
        try mayWrite()
        if shouldStop() { throw Stop.cancelled }
    }
}
