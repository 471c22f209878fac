import Manifest
import ReconCore
import Remote
import State

/// Makes an ordinary plan that returns everything a run committed to its before-image: deletes what it
/// created, restores what it changed, recreates what it deleted (every field of the before-image, declared
/// or not). Built from the run's committed changes, never its whole plan: an interrupted run undoes only
/// what it did. A record changed since by a later run or a person is a conflict, shown and left alone.
/// Schema it created is left to people (`manual`), since Recon never deletes tables or fields. Pure.
public struct RollbackPlanner {
    public var runID: String
    /// The changes the run committed (outcome `ok`), each with the record id its outcome names, in order.
    public var committed: [RecordChange]
    /// The schema changes the run applied (empty when it stopped before its schema phase ended).
    public var schemaChanges: [SchemaChange]
    /// Before-images from the run's backup: table → record id → record (links hold record ids).
    public var before: [String: [String: RemoteRecord]]
    /// The state as it was before the run (from the backup), if there was one. Only the records of `committed`
    /// need their values; of the others only ids are read (`keys`).
    public var priorState: StateModel?
    public var manifest: Manifest
    public var state: StateModel
    public var remote: RemoteSnapshot

    public init(runID: String, committed: [RecordChange], schemaChanges: [SchemaChange], before: [String: [String: RemoteRecord]],
                priorState: StateModel?, manifest: Manifest, state: StateModel, remote: RemoteSnapshot) {
        self.runID = runID
        self.committed = committed
        self.schemaChanges = schemaChanges
        self.before = before
        self.priorState = priorState
        self.manifest = manifest
        self.state = state
        self.remote = remote
    }

    public func plan() -> Plan {
        var plan = Plan(target: manifest.target.identifier, manifestDigest: manifest.digest, lineage: state.lineage,
                        serial: state.serial, rollbackOf: runID)
        plan.schemaChanges = schemaChanges.compactMap(reverse)
        let keys = recordKeys()
        let current = remote.records.mapValues { Dictionary($0.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
        let held = keyHolders()
        for change in committed where change.writesBase {
            let id = change.remoteID
            let now = id.flatMap { current[change.table]?[$0] }
            switch change.action {
            case .create, .recreate:
                guard let now else { continue }
                if let conflict = changedSince(change, now: now, undo: .delete, keys: keys) {
                    plan.rollbackConflicts.append(conflict)
                    continue
                }
                plan.recordChanges.append(RecordChange(table: change.table, key: change.key, remoteID: now.id, action: .delete,
                                                       reason: .rollback, fields: []))
                fingerprint(now, table: change.table, into: &plan)
            case .update, .adopt, .archive:
                guard let original = id.flatMap({ before[change.table]?[$0] }) else { continue }
                guard let now else {
                    plan.rollbackConflicts.append(RollbackConflict(table: change.table, key: change.key, recordID: id,
                                                                   action: .update, reason: .deletedSince))
                    continue
                }
                if let conflict = changedSince(change, now: now, undo: .update, keys: keys) {
                    plan.rollbackConflicts.append(conflict)
                    continue
                }
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
                guard now == nil, let original = id.flatMap({ before[change.table]?[$0] }) else { continue }
                if let holder = state.records[change.table]?[change.key]?.id ?? held[change.table]?[change.key] {
                    plan.rollbackConflicts.append(RollbackConflict(table: change.table, key: change.key, recordID: holder,
                                                                   action: .recreate, reason: .recreatedSince))
                    continue
                }
                // Every cell of the before-image, fields the manifests do not declare too: nothing the run removed is lost.
                let fields = original.fields.keys.sorted().map { name in
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

    /// The conflict when what the run wrote is no longer there: a field of the base or of the state holds another value.
    private func changedSince(_ change: RecordChange, now: RemoteRecord, undo: RecordAction, keys: [String: String]) -> RollbackConflict? {
        let recorded = state.records[change.table]?[change.key].flatMap { $0.id == now.id ? $0.values : nil }
        var fields: [RollbackConflict.Field] = []
        for written in change.fields where written.kind.writes {
            let name = written.name
            let base = translate(now.fields[name], field: name, table: change.table, keys: keys)
            // A link cell left to the link pass of an interrupted run was never written: empty in the base and the state.
            let isLink = manifest.table(named: change.table)?.field(named: name)?.type.linkedTable != nil
            if isLink, base == nil, recorded?[name] == nil, change.action == .create || change.action == .recreate { continue }
            if !same(written.after, base, field: name, table: change.table) {
                fields.append(RollbackConflict.Field(name: name, written: written.after, current: base))
            } else if let recorded, let wrote = change.stateValues, wrote[name] != nil || recorded[name] != nil,
                      !same(wrote[name], recorded[name], field: name, table: change.table) {
                fields.append(RollbackConflict.Field(name: name, written: wrote[name], current: recorded[name]))
            }
        }
        guard !fields.isEmpty else { return nil }
        return RollbackConflict(table: change.table, key: change.key, recordID: now.id, action: undo, reason: .changedSince,
                                fields: fields)
    }

    private func same(_ a: FieldValue?, _ b: FieldValue?, field: String, table: String) -> Bool {
        guard let type = manifest.table(named: table)?.field(named: field)?.type else { return a?.normalized == b?.normalized }
        return FieldComparison.equal(a, b, type: type)
    }

    /// Table → key → the id of the base's record holding it, for the tables the run deleted from.
    private func keyHolders() -> [String: [String: String]] {
        var held: [String: [String: String]] = [:]
        for table in Set(committed.filter { $0.action == .delete }.map(\.table)) {
            let keyField = manifest.table(named: table)?.key.value ?? "Key"
            for record in remote.records[table] ?? [] {
                if case .text(let key)? = record.fields[keyField]?.normalized { held[table, default: [:]][key] = record.id }
            }
        }
        return held
    }

    /// Schema the run created stays (manual); descriptions, names and choices go back.
    private func reverse(_ change: SchemaChange) -> SchemaChange? {
        switch change {
        case .createTable(let name, _, _):
            return .manual(ManualItem(kind: .tableNoLongerDeclared, table: name, field: nil,
                                      message: "run \(runID) created table '\(name)'",
                                      instructions: "Recon never deletes tables; delete it in the base if it should go."))
        case .adoptTable(let name, _, _):
            return .manual(ManualItem(kind: .tableNoLongerDeclared, table: name, field: nil,
                                      message: "run \(runID) adopted table '\(name)' (it keeps its '_recon_id' column and Recon's metadata)",
                                      instructions: "Recon does not hand a table back; its rows and other columns are as they were."))
        case .createField(let table, let field):
            return .manual(ManualItem(kind: .fieldOptionsChanged, table: table, field: field.name,
                                      message: "run \(runID) created field '\(field.name)' of table '\(table)'",
                                      instructions: "Recon never deletes fields; delete it in the base if it should go."))
        case .updateTable(var update):
            update.name = update.name.map { Change($0.after, $0.before) }
            update.description = update.description.map { Change($0.after, $0.before) }
            return .updateTable(update)
        case .updateField(var update):
            update.name = update.name.map { Change($0.after, $0.before) }
            update.description = update.description.map { Change($0.after, $0.before) }
            update.choices = nil  // removing a choice could lose data; an added choice is harmless
            return update.name == nil && update.description == nil ? nil : .updateField(update)
        case .manual, .unmanageField:
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
