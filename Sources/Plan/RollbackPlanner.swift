import Manifest
import ReconCore
import Remote
import State

/// Makes an ordinary plan that returns everything a run touched to its before-image: deletes what it
/// created, restores what it changed, recreates what it deleted. Schema it created is left to people
/// (`manual`), since Recon never deletes tables or fields. Pure.
public struct RollbackPlanner {
    public var runID: String
    /// The plan the run applied.
    public var runPlan: Plan
    /// Before-images from the run's backup: table → record id → record (links hold record ids).
    public var before: [String: [String: RemoteRecord]]
    /// The state as it was before the run (from the backup), if there was one.
    public var priorState: StateModel?
    public var manifest: Manifest
    public var state: StateModel
    public var remote: RemoteSnapshot

    public init(runID: String, runPlan: Plan, before: [String: [String: RemoteRecord]], priorState: StateModel?,
                manifest: Manifest, state: StateModel, remote: RemoteSnapshot) {
        self.runID = runID
        self.runPlan = runPlan
        self.before = before
        self.priorState = priorState
        self.manifest = manifest
        self.state = state
        self.remote = remote
    }

    public func plan() -> Plan {
        var plan = Plan(target: manifest.target.identifier, manifestDigest: manifest.digest, lineage: state.lineage,
                        serial: state.serial, rollbackOf: runID)
        plan.schemaChanges = runPlan.schemaChanges.compactMap(reverse)
        let keys = recordKeys()
        let current = Dictionary(grouping: remote.records.flatMap { table, records in records.map { (table, $0) } }, by: \.0)
            .mapValues { Dictionary($0.map { ($0.1.id, $0.1) }, uniquingKeysWith: { a, _ in a }) }
        for change in runPlan.recordChanges where change.action.writesBase && change.blockedBy == nil {
            let id = state.records[change.table]?[change.key]?.id ?? change.remoteID
            let now = id.flatMap { current[change.table]?[$0] }
            switch change.action {
            case .create, .recreate:
                guard let now else { continue }
                plan.recordChanges.append(RecordChange(table: change.table, key: change.key, remoteID: now.id, action: .delete,
                                                       reason: .rollback, fields: []))
                fingerprint(now, table: change.table, into: &plan)
            case .update, .adopt, .archive:
                guard let now, let original = change.remoteID.flatMap({ before[change.table]?[$0] }) else { continue }
                var fields: [FieldChange] = []
                for written in change.fields where written.kind.writes {
                    let restored = translate(original.fields[written.name], field: written.name, table: change.table, keys: keys)
                    let present = translate(now.fields[written.name], field: written.name, table: change.table, keys: keys)
                    if restored?.normalized != present?.normalized {
                        fields.append(FieldChange(name: written.name, kind: .update, before: present, after: restored))
                    }
                }
                guard !fields.isEmpty else { continue }
                let values = priorState?.records[change.table]?[change.key]?.values ?? change.stateValues
                plan.recordChanges.append(RecordChange(table: change.table, key: change.key, remoteID: now.id, action: .update,
                                                       reason: .rollback, fields: fields, stateValues: values))
                fingerprint(now, table: change.table, into: &plan)
            case .delete:
                guard now == nil, let original = change.remoteID.flatMap({ before[change.table]?[$0] }) else { continue }
                let declared = Set(manifest.table(named: change.table)?.fields.map(\.name) ?? [])
                let fields = original.fields.keys.sorted().filter(declared.contains).map { name in
                    FieldChange(name: name, kind: .set, before: nil,
                                after: translate(original.fields[name], field: name, table: change.table, keys: keys))
                }
                let values = priorState?.records[change.table]?[change.key]?.values ?? [:]
                plan.recordChanges.append(RecordChange(table: change.table, key: change.key, remoteID: nil, action: .recreate,
                                                       reason: .rollback, fields: fields, stateValues: values))
            case .forget, .refreshState:
                continue
            }
        }
        return plan
    }

    /// Schema the run created stays (manual); descriptions, names and choices go back.
    private func reverse(_ change: SchemaChange) -> SchemaChange? {
        switch change {
        case .createTable(let name, _, _):
            return .manual(ManualItem(kind: .tableNoLongerDeclared, table: name, field: nil,
                                      message: "run \(runID) created table '\(name)'",
                                      instructions: "Recon never deletes tables; delete it in the base if it should go."))
        case .createField(let table, let field):
            return .manual(ManualItem(kind: .fieldOptionsChanged, table: table, field: field.name,
                                      message: "run \(runID) created field '\(field.name)' of table '\(table)'",
                                      instructions: "Recon never deletes fields; delete it in the base if it should go."))
        case .updateTable(let table, let id, let description):
            return .updateTable(table: table, tableID: id, description: Change(description.after, description.before))
        case .updateField(var update):
            update.name = update.name.map { Change($0.after, $0.before) }
            update.description = update.description.map { Change($0.after, $0.before) }
            update.choices = nil  // removing a choice could lose data; an added choice is harmless
            return update.name == nil && update.description == nil ? nil : .updateField(update)
        case .manual:
            return nil
        }
    }

    /// Record id → entity key, so restored link cells are written as keys like any plan's.
    private func recordKeys() -> [String: String] {
        var keys: [String: String] = [:]
        for records in (priorState?.records ?? [:]).values { for (key, record) in records { keys[record.id] = key } }
        for records in state.records.values { for (key, record) in records { keys[record.id] = key } }
        return keys
    }

    private func translate(_ value: FieldValue?, field: String, table: String, keys: [String: String]) -> FieldValue? {
        guard manifest.table(named: table)?.field(named: field)?.type.linkedTable != nil, case .list(let ids)? = value else { return value }
        return .list(ids.compactMap { keys[$0] })
    }

    private func fingerprint(_ record: RemoteRecord, table: String, into plan: inout Plan) {
        plan.preconditions.append(RecordFingerprint(table: table, recordID: record.id, hash: FieldValue.contentHash(record.fields)))
    }
}
