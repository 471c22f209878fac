import Manifest
import ReconCore
import Remote
import State

/// Checks a saved plan against the one the planner makes now, so an edited plan cannot be applied even with its
/// digest recomputed: every change must be one the planner would make from the manifests, the state and the
/// base records it touches. Pure: the caller reads the records (the ones preflight reads) and extracts.
public enum PlanDerivation {
    /// The plan the planner makes now for the keys `saved` names within its stored scope (its schema changes
    /// planned for every table of that scope), passed through the plan file's codec so it compares with a decoded
    /// plan value for value. A change outside the scope is one the planner would not make.
    public static func derive(_ saved: Plan, manifest: Manifest, desired: [DesiredRecord], state: StateModel,
                              schema: RemoteSchema, records: [String: [String: RemoteRecord]],
                              repoCommits: [String: String]) throws -> Plan {
        var keys: [String: Set<String>] = [:]
        for change in saved.recordChanges
        where manifest.table(named: change.table) != nil && saved.scope.includes(table: change.table, key: change.key) {
            keys[change.table, default: []].insert(change.key)
        }
        var derived = Plan(target: manifest.target.identifier, manifestDigest: manifest.digest, lineage: state.lineage, serial: state.serial)
        if !keys.isEmpty {
            let scope = PlanScope(tables: Set(keys.keys), keys: keys, repos: [])
            let remote = RemoteSnapshot(schema: schema, records: records.mapValues { Array($0.values) })
            derived = try Planner.plan(PlanInput(manifest: manifest, desired: desired, state: state, remote: remote,
                                                 scope: scope, repoCommits: repoCommits))
        }
        derived.schemaChanges = SchemaPlanner(manifest: manifest, remote: schema, state: state, scope: saved.scope,
                                              foreignRows: records.mapValues { Array($0.values) }).plan().changes
        return try PlanFile.roundTrip(taking: &derived)
    }

    /// One line per change of `saved` that `derived` does not make the same way (table, key, what differs).
    public static func differences(saved: Plan, derived: Plan, manifest: Manifest, state: StateModel) -> [String] {
        var reasons: [String] = []
        for change in saved.schemaChanges where !derived.schemaChanges.contains(change) {
            reasons.append("schema of table \(change.table): the plan would \(describe(change)), the planner would not")
        }
        var made: [String: [String: RecordChange]] = [:]
        for change in derived.recordChanges { made[change.table, default: [:]][change.key] = change }
        var keysByID: [String: String] = [:]
        for change in saved.recordChanges {
            if let id = change.remoteID { keysByID[id] = change.key }
            let name = "\(change.table) \(change.key)"
            if manifest.table(named: change.table) == nil {
                // The planner forgets the records of tables no longer declared (a change apply allows only as forget).
                if change.action != .forget || state.records[change.table]?[change.key] == nil {
                    reasons.append("\(name): the plan would \(change.action.rawValue) it, but the state holds no such record")
                }
                continue
            }
            guard let expected = made[change.table]?[change.key] else {
                reasons.append("\(name): the plan would \(change.action.rawValue) it, but the planner would not change it now")
                continue
            }
            reasons += compare(change, expected, name: name)
        }
        let fingerprints = Set(saved.preconditions.map { "\($0.table)\u{0}\($0.recordID)\u{0}\($0.hash)" })
        for fingerprint in derived.preconditions where !fingerprints.contains("\(fingerprint.table)\u{0}\(fingerprint.recordID)\u{0}\(fingerprint.hash)") {
            let key = keysByID[fingerprint.recordID] ?? fingerprint.recordID
            reasons.append("\(fingerprint.table) \(key) (\(fingerprint.recordID)): the plan lacks the precondition (the record's "
                + "fingerprint as read) that the planner sets, so a change in the base would go unnoticed")
        }
        return reasons
    }

    private static func describe(_ change: SchemaChange) -> String {
        switch change {
        case .createTable: "create the table"
        case .createField(_, let field): "create field '\(field.name)'"
        case .adoptTable: "adopt the table"
        case .updateTable: "update the table"
        case .updateField(let update): "update field '\(update.field)'"
        case .unmanageField(_, _, let field): "stop managing field '\(field)'"
        case .manual(let item): "ask for the manual step \(item.id)"
        }
    }

    private static func compare(_ saved: RecordChange, _ expected: RecordChange, name: String) -> [String] {
        if saved.action != expected.action {
            return ["\(name): the plan would \(saved.action.rawValue) it, the planner would \(expected.action.rawValue) it"]
        }
        if saved.remoteID != expected.remoteID {
            return ["\(name): the plan would \(saved.action.rawValue) record \(saved.remoteID ?? "(none)"), "
                + "the planner addresses \(expected.remoteID ?? "no record")"]
        }
        var reasons: [String] = []
        let savedWrites = saved.writes, expectedWrites = expected.writes
        let savedClears = Set(saved.clears), expectedClears = Set(expected.clears)
        for field in Set(savedWrites.keys).union(expectedWrites.keys).union(savedClears).union(expectedClears).sorted()
        where savedWrites[field] != expectedWrites[field] || savedClears.contains(field) != expectedClears.contains(field) {
            reasons.append("\(name) \(field): the plan writes \(PlanValueText.describe(savedWrites[field])), "
                + "the planner writes \(expectedClears.contains(field) || expectedWrites[field] != nil ? PlanValueText.describe(expectedWrites[field]) : "nothing")")
        }
        if saved.stateValues != expected.stateValues {
            let fields = Set((saved.stateValues ?? [:]).keys).union((expected.stateValues ?? [:]).keys)
                .filter { saved.stateValues?[$0] != expected.stateValues?[$0] }.sorted()
            reasons.append("\(name): the plan would record other values in the state (\(fields.joined(separator: ", ")))")
        }
        if saved.stateAdopted != expected.stateAdopted {
            reasons.append("\(name): the plan would record other adoptions in the state")
        }
        if saved.blockedBy != expected.blockedBy {
            reasons.append("\(name): the plan says it waits on \(saved.blockedBy ?? "nothing"), the planner says \(expected.blockedBy ?? "nothing")")
        }
        return reasons
    }
}
