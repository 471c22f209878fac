import Manifest
import ReconCore
import Remote
import State

/// The three-way diff of one table's records: desired (D), state (S), remote (R). Pure.
struct RecordPlanner {
    let table: ResolvedTable
    let protected: Set<String>
    let policy: PlanPolicy
    let scope: PlanScope
    /// Record id → entity key, for reading the base's link fields as keys.
    let keysByRecordID: [String: String]

    struct Result {
        var changes: [RecordChange] = []
        var skips: [ProtectedSkip] = []
        var integrity: [IntegrityError] = []
        var fingerprints: [RecordFingerprint] = []
        var conflicts: [RecordChange] = []
        var unmanaged = 0
    }

    private var spec: TableSpec { table.spec }
    private var keyField: String { spec.key.value }

    /// Fields Recon writes after create: all but the key and the protected ones. Worked out once, not per record.
    private let managedFields: [FieldSpec]
    /// Their names, to tell a record whose every field is managed (the usual case), and in order.
    private let managedNames: Set<String>
    private let managedNameList: [String]
    /// Each managed field's name in the base, looked up once instead of per record and field.
    private let managedRemoteNames: [String]
    /// Each managed field's type, and whether it links, so the per-record check copies no `FieldSpec`.
    private let managedTypes: [FieldType]
    private let managedLinks: [Bool]
    /// The protected fields, in the manifests' order, so a table without any skips the check per record.
    private let protectedFields: [FieldSpec]

    init(table: ResolvedTable, protected: Set<String>, policy: PlanPolicy, scope: PlanScope, keysByRecordID: [String: String]) {
        self.table = table
        self.protected = protected
        self.policy = policy
        self.scope = scope
        self.keysByRecordID = keysByRecordID
        managedFields = table.spec.fields.filter { $0.name != table.spec.key.value && !protected.contains($0.name) }
        managedNames = Set(managedFields.map(\.name))
        managedNameList = managedFields.map(\.name)
        managedRemoteNames = managedFields.map { table.remoteNames[$0.name] ?? $0.name }
        managedTypes = managedFields.map(\.type)
        managedLinks = managedFields.map { $0.type.linkedTable != nil }
        protectedFields = table.spec.fields.filter { protected.contains($0.name) }
    }

    /// With `only` (a delta plan), just those keys are planned, and `remote` holds just their records; `unmanaged` is
    /// then the caller's to count.
    func plan(desired: DesiredTable, state: [String: ManagedRecord], remote: [RemoteRecord], only: Set<String>? = nil) -> Result {
        var result = Result()
        let keyName = table.remoteNames[keyField] ?? keyField
        // One record per key in the usual case: the rare second holder goes to `others`, not an array per record.
        var byKey: [String: RemoteRecord] = [:]
        var others: [String: [RemoteRecord]] = [:]
        var byID: [String: RemoteRecord] = [:]
        byID.reserveCapacity(remote.count)
        byKey.reserveCapacity(remote.count)
        for record in remote {
            byID[record.id] = record
            guard case .text(let key)? = record.fields[keyName] else { continue }
            if byKey[key] == nil { byKey[key] = record } else { others[key, default: []].append(record) }
        }
        if only == nil {
            let stateIDs = Set(state.values.map(\.id))
            for record in remote where !stateIDs.contains(record.id) {
                let key = record.fields[keyName].flatMap { if case .text(let text) = $0 { text } else { nil } }
                if key == nil || desired[key!] == nil { result.unmanaged += 1 }
            }
        }

        // Desired keys, then the state's others: no set of 100,000 keys is built just to be sorted.
        var keys: [String]
        if let only {
            keys = only.filter { desired[$0] != nil || state[$0] != nil }
        } else {
            keys = Array(desired.keys)
            keys.reserveCapacity(keys.count + state.count)
            for key in state.keys where desired[key] == nil { keys.append(key) }
        }
        keys.sort()
        for key in keys where scope.includes(table: spec.name, key: key) {
            let holder = byKey[key]
            if let extra = others[key] {
                result.integrity.append(IntegrityError(table: spec.name, key: key, recordIDs: ([holder!] + extra).map(\.id).sorted()))
                continue
            }
            let managed = state[key]
            let remoteRecord = managed.flatMap { byID[$0.id] } ?? holder
            let edit = remoteRecord.flatMap { keyEdit(of: $0, key: key, desired: desired, state: state, restorable: holder == nil) }
            planRecord(key: key, desired: desired[key], managed: managed, remote: remoteRecord, keyEdit: edit, into: &result)
        }
        return result
    }

    private func planRecord(key: String, desired: DesiredRecord?, managed: ManagedRecord?, remote: RemoteRecord?,
                            keyEdit: KeyEdit?, into result: inout Result) {
        switch (desired, managed, remote) {
        case let (d?, nil, nil):
            result.changes.append(create(d, action: .create, reason: .new))
        case let (d?, _?, nil):
            result.changes.append(create(d, action: .recreate, reason: .deletedInBase))
        case let (d?, nil, r?):
            // Rows of a table adopted by this plan have no id yet: apply finds them by key after adopting the table.
            if !table.adopting { fingerprint(r, into: &result) }
            result.changes.append(adopt(d, remote: r, into: &result))
        case let (d?, s?, r?):
            if let change = update(d, state: s, remote: r, keyEdit: keyEdit, into: &result) {
                if change.action.writesBase { fingerprint(r, into: &result) }
                if change.hasConflict && policy.conflict == .fail { result.conflicts.append(change) }
                result.changes.append(change)
            }
        case let (nil, s?, r?):
            if let change = retire(key: key, state: s, remote: r) {
                if change.action.writesBase { fingerprint(r, into: &result) }
                result.changes.append(change)
            }
        case let (nil, s?, nil):
            result.changes.append(RecordChange(table: spec.name, key: key, remoteID: s.id, action: .forget,
                                               reason: .alreadyDeleted, fields: []))
        case (nil, nil, _):
            break
        }
    }

    private func create(_ d: DesiredRecord, action: RecordAction, reason: ChangeReason) -> RecordChange {
        var fields = [FieldChange(name: keyField, kind: .set, before: nil, after: .text(d.key))]
        // Grown one by one, the list doubled to 16 slots for a table of 13 fields.
        fields.reserveCapacity(d.fields.count + 1)
        for field in spec.fields where field.name != keyField {
            guard let value = d.fields[field.name] else { continue }
            fields.append(FieldChange(name: field.name, kind: .set, before: nil, after: value))
        }
        return RecordChange(table: spec.name, key: d.key, remoteID: nil, action: action, reason: reason, fields: fields,
                            source: d.provenance, stateValues: managedValues(d.fields), blockedBy: blocker(for: fields))
    }

    /// A record already in the base under the desired key: take it over and write what differs.
    private func adopt(_ d: DesiredRecord, remote r: RemoteRecord, into result: inout Result) -> RecordChange {
        var fields: [FieldChange] = []
        for field in managedFields {
            let before = remoteValue(field, of: r)
            if !FieldComparison.equal(d.fields[field.name], before, type: field.type) {
                fields.append(FieldChange(name: field.name, kind: .set, before: before, after: d.fields[field.name]))
            }
        }
        skipProtected(d, remote: r, into: &result)
        return RecordChange(table: spec.name, key: d.key, remoteID: table.adopting ? nil : r.id, action: .adopt, reason: .existsInBase,
                            fields: fields, source: d.provenance, stateValues: managedValues(d.fields),
                            blockedBy: blocker(for: fields))
    }

    /// The field-level three-way rules of the design.
    private func update(_ d: DesiredRecord, state s: ManagedRecord, remote r: RemoteRecord, keyEdit: KeyEdit?,
                        into result: inout Result) -> RecordChange? {
        var fields: [FieldChange] = []
        var values = s.values
        var adopted = s.adopted
        // A field renamed in the manifests (`renamed_from`): its recorded value moves to the declared name.
        for (name, old) in table.previousNames where values[name] == nil {
            values[name] = values.removeValue(forKey: old)
            adopted[name] = adopted.removeValue(forKey: old)
        }
        // Equal content hashes mean equal values (the desired hash covers protected fields too, so a table
        // with protected values simply takes the field-by-field path): most records of a no-op plan stop here.
        // Equal dictionaries have equal hashes, and comparing them costs less than hashing the state's values
        // (the state keeps no hash, so `s.hash` is SHA-256 over the record each time).
        let unchangedInManifests = d.fields == s.values || d.contentHash == s.hash
        if unchangedInManifests, keyEdit == nil, table.previousNames.isEmpty, s.id == r.id, baseHoldsState(s, r) {
            skipProtected(d, remote: r, into: &result)
            return nil
        }
        var next = values
        for field in managedFields {
            let name = field.name
            let desired = d.fields[name]
            let recorded = values[name]
            let base = remoteValue(field, of: r)
            // An adopted field keeps the base's value until the manifests' value moves from the one it overrode.
            let accepted = adopted[name] ?? recorded
            let desiredSame = unchangedInManifests || FieldComparison.equal(desired, accepted, type: field.type)
            let baseSame = FieldComparison.equal(base, recorded, type: field.type)
            switch (desiredSame, baseSame) {
            case (true, true):
                continue
            case (false, true):
                fields.append(FieldChange(name: name, kind: .update, before: base, after: desired))
                next[name] = desired
                adopted[name] = nil
            case (true, false):
                switch policy.drift {
                case .restore:
                    fields.append(FieldChange(name: name, kind: .drift, before: base, after: desired, recorded: recorded))
                    next[name] = desired
                    adopted[name] = nil
                case .report:
                    fields.append(FieldChange(name: name, kind: .driftReported, before: base, after: base, recorded: recorded))
                case .adopt:
                    fields.append(FieldChange(name: name, kind: .driftAdopted, before: base, after: base, recorded: recorded))
                    next[name] = base
                    adopted[name] = desired ?? .text("")
                }
            case (false, false):
                if FieldComparison.equal(desired, base, type: field.type) {
                    fields.append(FieldChange(name: name, kind: .converged, before: base, after: desired, recorded: recorded))
                } else {
                    fields.append(FieldChange(name: name, kind: .conflict, before: base, after: desired, recorded: recorded))
                }
                next[name] = desired
                adopted[name] = nil
            }
        }
        if let keyEdit, let drift = keyDrift(d.key, keyEdit) { fields.insert(drift, at: 0) }
        skipProtected(d, remote: r, into: &result)
        // Values copied from the state are normalized already: a no-op record does not rebuild its dictionary.
        if next.values.contains(where: { $0.normalized == nil }) { next = FieldValue.normalize(next) }
        let writes = fields.contains { $0.kind.writes }
        let stateMoved = next != s.values || s.id != r.id || adopted != s.adopted
        guard writes || stateMoved || fields.contains(where: { $0.kind == .driftReported }) else { return nil }
        let drifted = fields.contains { $0.kind == .drift || $0.kind == .driftReported }
        let action: RecordAction = writes ? .update : .refreshState
        let reason: ChangeReason = fields.contains { $0.kind == .update || $0.kind == .conflict } ? .changedInManifests
            : (drifted || fields.contains { $0.kind == .driftAdopted } ? .changedInBase : .changedInManifests)
        return RecordChange(table: spec.name, key: d.key, remoteID: r.id, action: action, reason: reason, fields: fields,
                            source: d.provenance, stateValues: next, stateAdopted: adopted, blockedBy: blocker(for: fields))
    }

    /// Every managed cell of the base equals the recorded one, and the recorded values are exactly those cells, all
    /// normalized: for a record the manifests did not change, the field-by-field rules below would find nothing to
    /// write and leave the state as it is. Decided with one lookup on each side per field (issue 12: the 99% of a 1%
    /// plan spent most of the diff in those rules).
    private func baseHoldsState(_ s: ManagedRecord, _ r: RemoteRecord) -> Bool {
        var held = 0
        for index in managedNameList.indices {
            let recorded = s.values[managedNameList[index]]
            if recorded != nil {
                guard recorded!.normalized != nil else { return false }
                held += 1
            }
            let cell = r.fields[managedRemoteNames[index]]
            let base = managedLinks[index] ? cell.map { linkKeys($0) } : cell
            // Equal as stored is equal (the usual case); otherwise the field's own comparison decides.
            guard base == recorded || FieldComparison.equal(base, recorded, type: managedTypes[index]) else { return false }
        }
        return held == s.values.count
    }

    /// The key a record the state holds carries in the base instead of its own.
    struct KeyEdit {
        var value: FieldValue?
        /// The manifests or the state hold that key for another record.
        var claimed: Bool
        /// No other base record holds the record's own key, so writing it back cannot collide.
        var restorable: Bool
    }

    /// The key the base's record carries, when it is not `key`: edited by hand, unless it is another record's key
    /// (then the state's id is wrong, and apply's address check refuses the write).
    private func keyEdit(of record: RemoteRecord, key: String, desired: DesiredTable, state: [String: ManagedRecord],
                         restorable: Bool) -> KeyEdit? {
        let value = record.fields[table.remoteNames[keyField] ?? keyField]
        guard value?.normalized != .text(key) else { return nil }
        let claimed = if case .text(let other)? = value?.normalized { desired[other] != nil || state[other] != nil } else { false }
        return KeyEdit(value: value, claimed: claimed, restorable: restorable)
    }

    /// The record the state holds under `key` carries another key in the base (edited by hand): drift, restored
    /// under `policy.drift: restore`, reported otherwise. `adopt` cannot take it: the key is the record's identity.
    private func keyDrift(_ key: String, _ edit: KeyEdit) -> FieldChange? {
        guard !edit.claimed else { return nil }
        return policy.drift == .restore && edit.restorable
            ? FieldChange(name: keyField, kind: .drift, before: edit.value, after: .text(key), recorded: .text(key))
            : FieldChange(name: keyField, kind: .driftReported, before: edit.value, after: edit.value, recorded: .text(key))
    }

    /// A managed record no longer desired, handled by `on_delete`.
    private func retire(key: String, state s: ManagedRecord, remote r: RemoteRecord) -> RecordChange? {
        switch spec.onDelete {
        case .delete:
            let before = managedFields.compactMap { field in
                remoteValue(field, of: r).map { FieldChange(name: field.name, kind: .set, before: $0, after: nil) }
            }
            return RecordChange(table: spec.name, key: key, remoteID: r.id, action: .delete, reason: .noLongerDesired, fields: before)
        case .archive:
            guard let archive = spec.archiveField?.value, let field = spec.field(named: archive) else { return nil }
            if remoteValue(field, of: r) == .bool(true) {
                var values = s.values
                values[archive] = .bool(true)
                return values == s.values ? nil : RecordChange(
                    table: spec.name, key: key, remoteID: r.id, action: .refreshState, reason: .noLongerDesired,
                    fields: [], stateValues: values)
            }
            var values = s.values
            values[archive] = .bool(true)
            let change = FieldChange(name: archive, kind: .update, before: remoteValue(field, of: r), after: .bool(true))
            return RecordChange(table: spec.name, key: key, remoteID: r.id, action: .archive, reason: .noLongerDesired,
                                fields: [change], stateValues: values, blockedBy: blocker(for: [change]))
        case .keep:
            return RecordChange(table: spec.name, key: key, remoteID: r.id, action: .forget, reason: .noLongerDesired, fields: [])
        }
    }

    private func skipProtected(_ d: DesiredRecord, remote r: RemoteRecord, into result: inout Result) {
        for field in protectedFields {
            let base = remoteValue(field, of: r)
            let wanted = d.fields[field.name]
            if wanted != nil, !FieldComparison.equal(wanted, base, type: field.type) {
                result.skips.append(ProtectedSkip(table: spec.name, key: d.key, field: field.name, base: base, desired: wanted))
            }
        }
    }

    /// The base's value of a field, links read as entity keys.
    private func remoteValue(_ field: FieldSpec, of record: RemoteRecord) -> FieldValue? {
        let value = record.fields[table.remoteNames[field.name] ?? field.name]
        guard field.type.linkedTable != nil, let value else { return value }
        return linkKeys(value)
    }

    /// A link cell's record ids as entity keys; any other value as it is.
    private func linkKeys(_ value: FieldValue) -> FieldValue {
        guard case .list(let ids) = value else { return value }
        return .list(ids.map { keysByRecordID[$0] ?? "?\($0)" })
    }

    /// A record's values when every one is managed, so the change shares the desired record's dictionary: a copy per
    /// create was ~70 MB of a 100,000-create plan (issue 12).
    private func managedValues(_ values: FieldCells) -> FieldCells {
        if values.keys.allSatisfy(managedNames.contains) { return values }
        var managed = FieldCells.Builder(capacity: managedFields.count)
        for field in managedFields { if let value = values[field.name] { managed.append(field.name, value) } }
        return managed.cells()
    }

    private func blocker(for fields: [FieldChange]) -> String? {
        fields.lazy.filter(\.kind.writes).compactMap { table.blockedFields[$0.name] }.first
    }

    private func fingerprint(_ record: RemoteRecord, into result: inout Result) {
        result.fingerprints.append(RecordFingerprint(table: spec.name, recordID: record.id,
                                                     hash: FieldValue.contentHash(record.fields)))
    }
}
