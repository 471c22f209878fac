import Manifest
import Plan
import ReconCore
import Remote
import State

/// The before-images of what a plan touches: the records as they are now, and the schema.
public struct BeforeImages: Sendable {
    public var schema: RemoteSchema
    /// Table name → record id → record.
    public var records: [String: [String: RemoteRecord]]

    public init(schema: RemoteSchema, records: [String: [String: RemoteRecord]]) {
        self.schema = schema
        self.records = records
    }

    /// From a refresh made moments ago (plan and apply in one run): only the records the plan touches.
    public init(plan: Plan, snapshot: RemoteSnapshot) {
        let touched = ApplyPreflight.touchedIDs(plan)
        var records: [String: [String: RemoteRecord]] = [:]
        for (table, ids) in touched {
            for record in snapshot.records[table] ?? [] where ids.contains(record.id) {
                records[table, default: [:]][record.id] = record
            }
        }
        self.init(schema: snapshot.schema, records: records)
    }
}

/// Refuses a plan that no longer fits: edited (checked when the file is read), made against another
/// state, other manifests, or base records that changed since. Reads the base; writes nothing.
public enum ApplyPreflight {
    /// The before-images, and every record read: besides what the plan writes and fingerprints, the record of
    /// every change that names one, so the plan can be derived again from what the base holds now.
    public static func check(_ plan: Plan, manifest: Manifest, state: StateModel?, provider: any BaseProvider) throws
        -> (before: BeforeImages, read: [String: [String: RemoteRecord]]) {
        var reasons: [String] = []
        if plan.target != manifest.target.identifier {
            reasons.append("the plan is for \(plan.target), the manifests now target \(manifest.target.identifier)")
        }
        if plan.manifestDigest != manifest.digest {
            reasons.append("the manifests changed (digest \(plan.manifestDigest.prefix(12)) when planned, \(manifest.digest.prefix(12)) now)")
        }
        switch (plan.lineage.isEmpty, state) {
        case (true, let state?):
            reasons.append("the plan was made before any apply, but the state now exists (serial \(state.serial))")
        case (false, nil):
            reasons.append("the plan was made against state \(plan.lineage) serial \(plan.serial), but there is no state now")
        case (false, let state?) where state.lineage != plan.lineage:
            reasons.append("the state's lineage is \(state.lineage), the plan was made against \(plan.lineage)")
        case (false, let state?) where state.serial != plan.serial:
            reasons.append("the state moved from serial \(plan.serial) to \(state.serial) (another apply ran)")
        default:
            break
        }
        if !reasons.isEmpty { throw StalePlanError(reasons: reasons) }

        let schema = try provider.inspectSchema()
        var records: [String: [String: RemoteRecord]] = [:]
        let fingerprints = Dictionary(grouping: plan.preconditions, by: \.table)
        // Read what the plan writes and everything it fingerprinted (adopts with nothing to write included).
        let touched = touchedIDs(plan)
        var toRead = touched
        var keys: [String: String] = [:]
        // By index, reading the members used: `for change in` copied each of 100k changes (~10 retains each, issue 12).
        let changes = plan.recordChanges
        for index in changes.indices { if let id = changes[index].remoteID { keys[id] = changes[index].key } }
        for fingerprint in plan.preconditions { toRead[fingerprint.table, default: []].insert(fingerprint.recordID) }
        let fingerprinted = Set(plan.preconditions.map(\.recordID))
        // The records of the other changes too (state-only ones), where their table exists: what re-planning reads.
        let table = { (name: String) in schema.table(id: state?.tables[name]?.id, named: name) }
        for index in changes.indices {
            guard let id = changes[index].remoteID else { continue }
            let name = changes[index].table
            if manifest.table(named: name) != nil && table(name) != nil { toRead[name, default: []].insert(id) }
        }
        var read: [String: [String: RemoteRecord]] = [:]
        for (name, ids) in toRead.sorted(by: { $0.key < $1.key }) {
            guard let remoteTable = table(name) else {
                reasons.append("table \(name) no longer exists in the base")
                continue
            }
            let current = Dictionary(try provider.readRecords(ids: ids.sorted(), in: remoteTable).map { ($0.id, $0) },
                                     uniquingKeysWith: { a, _ in a })
            for id in ids where touched[name]?.contains(id) == true || fingerprinted.contains(id) {
                records[name, default: [:]][id] = current[id]
            }
            read[name] = current
            for fingerprint in fingerprints[name] ?? [] {
                let key = keys[fingerprint.recordID] ?? fingerprint.recordID
                guard let record = current[fingerprint.recordID] else {
                    reasons.append("\(name) \(key) (\(fingerprint.recordID)) was deleted in the base")
                    continue
                }
                if FieldValue.contentHash(record.fields) != fingerprint.hash {
                    reasons.append("\(name) \(key) (\(fingerprint.recordID)) changed in the base")
                }
            }
        }
        // A table the plan adopts: all its rows, so re-planning checks again that it still fits and adopts the same records.
        for case .adoptTable(let name, _, _) in plan.schemaChanges {
            guard let foreign = schema.foreignTable(named: name), foreign.unadoptable == nil else { continue }
            read[name] = Dictionary(try provider.readForeignRecords(foreign).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        }
        reasons += try keysTaken(plan, manifest: manifest, schema: schema, state: state, provider: provider)
        if !reasons.isEmpty { throw StalePlanError(reasons: reasons) }
        return (BeforeImages(schema: schema, records: records), read)
    }

    /// A create's upsert merges on the key, so a record made under that key after planning would be overwritten
    /// (protected fields too) and then deleted by rollback: looked up by key, and the plan refused if one is there.
    static func keysTaken(_ plan: Plan, manifest: Manifest, schema: RemoteSchema, state: StateModel?,
                           provider: any BaseProvider) throws -> [String] {
        // The keys alone, by table: filtering then grouping the changes copied each of 100k creates twice.
        var creates: [String: [String]] = [:]
        let changes = plan.recordChanges
        for index in changes.indices where (changes[index].action == .create || changes[index].action == .recreate)
            && changes[index].writesBase && changes[index].blockedBy == nil {
            creates[changes[index].table, default: []].append(changes[index].key)
        }
        var reasons: [String] = []
        for (table, keys) in creates.sorted(by: { $0.key < $1.key }) {
            guard let remoteTable = schema.table(id: state?.tables[table]?.id, named: table), let keyField = manifest.table(named: table)?.key.value else { continue }
            var holders: [String: [String]] = [:]
            for record in try provider.readRecords(keys: keys, field: keyField, in: remoteTable) {
                if case .text(let key)? = record.fields[keyField]?.normalized { holders[key, default: []].append(record.id) }
            }
            for key in holders.keys.sorted() {
                reasons.append("\(table) \(key): the plan creates it, but the base now holds a record with that key "
                               + "(\(holders[key]!.sorted().joined(separator: ", "))), made after planning")
            }
        }
        return reasons
    }

    /// Table → ids of the base records the plan writes.
    static func touchedIDs(_ plan: Plan) -> [String: Set<String>] {
        var ids: [String: Set<String>] = [:]
        let changes = plan.recordChanges
        for index in changes.indices where changes[index].remoteID != nil && changes[index].writesBase && changes[index].blockedBy == nil {
            ids[changes[index].table, default: []].insert(changes[index].remoteID!)
        }
        return ids
    }
}
