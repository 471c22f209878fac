import Manifest
import ReconCore
import Remote
import State

/// How a manifest table maps onto the base after schema planning.
struct ResolvedTable {
    let spec: TableSpec
    /// Nil when the table is created by this plan.
    let remote: RemoteTable?
    /// Manifest field name → the field's current name in the base (differs after a rename in the base).
    let remoteNames: [String: String]
    /// Manifest field name → the manual item that blocks writing it.
    let blockedFields: [String: String]
    /// Manifest field name → the name the state's values still use (`renamed_from`, until an apply).
    var previousNames: [String: String] = [:]
}

/// Diffs declared tables and fields against the base's schema. Pure.
struct SchemaPlanner {
    let manifest: Manifest
    let remote: RemoteSchema
    let state: StateModel
    let scope: PlanScope

    func plan() -> (changes: [SchemaChange], tables: [String: ResolvedTable]) {
        var changes: [SchemaChange] = []
        var resolved: [String: ResolvedTable] = [:]
        for spec in manifest.tables where scope.includes(table: spec.name) {
            guard let table = remoteTable(for: spec) else {
                if let foreign = remote.foreignTables.first(where: { Array($0.name.utf8) == Array(spec.name.utf8) }) {
                    let item = notCreatedByRecon(spec, foreign)
                    changes.append(.manual(item))
                    let blocked = Dictionary(spec.fields.map { ($0.name, item.id) }, uniquingKeysWith: { a, _ in a })
                    resolved[spec.name] = ResolvedTable(spec: spec, remote: nil, remoteNames: [:], blockedFields: blocked)
                    continue
                }
                var blocked: [String: String] = [:]
                var fields: [FieldDefinition] = []
                for field in plannedFields(spec) {
                    if let item = notCreatable(field, table: spec.name) {
                        changes.append(.manual(item))
                        blocked[field.name] = item.id
                    } else {
                        fields.append(field)
                    }
                }
                changes.append(.createTable(name: spec.name, description: spec.description, fields: fields))
                resolved[spec.name] = ResolvedTable(spec: spec, remote: nil, remoteNames: [:], blockedFields: blocked)
                continue
            }
            var tableUpdate = TableUpdate(table: spec.name, tableID: table.id)
            if table.name != spec.name { tableUpdate.name = Change(table.name, spec.name) }
            if normalized(table.description) != normalized(spec.description) {
                tableUpdate.description = Change(table.description, spec.description)
            }
            if tableUpdate.name != nil || tableUpdate.description != nil { changes.append(.updateTable(tableUpdate)) }
            var names: [String: String] = [:]
            var blocked: [String: String] = [:]
            var declaredIDs: Set<String> = []
            var previous: [String: String] = [:]
            for field in spec.fields {
                guard let existing = remoteField(field, of: spec.name, in: table) else {
                    if let item = notCreatable(planned(field), table: spec.name) {
                        changes.append(.manual(item))
                        blocked[field.name] = item.id
                    } else {
                        changes.append(.createField(table: spec.name, field: planned(field)))
                    }
                    continue
                }
                names[field.name] = existing.name
                declaredIDs.insert(existing.id)
                if let item = incompatibility(field, existing, table: spec.name) {
                    changes.append(.manual(item))
                    blocked[field.name] = item.id
                    continue
                }
                var update = FieldUpdate(table: spec.name, fieldID: existing.id, field: field.name)
                if let old = field.renamedFrom?.value, state.tables[spec.name]?.fields[field.name] == nil {
                    previous[field.name] = old
                    if existing.name == old { update.renamedIn = .manifests }
                }
                if existing.name != field.name { update.name = Change(existing.name, field.name) }
                if normalized(existing.description) != normalized(field.description) {
                    update.description = Change(existing.description, field.description)
                }
                if let wanted = field.type.choices, let have = existing.choices, !Set(wanted).isSubset(of: Set(have)) {
                    let missing = wanted.filter { !have.contains($0) }
                    if remote.capabilities.canUpdateFieldChoices {
                        update.choices = Change(have, have + missing)
                    } else if !field.typecast {
                        let item = ManualItem(
                            kind: .fieldOptionsChanged, table: spec.name, field: field.name,
                            message: "field '\(field.name)' of table '\(spec.name)' lacks the choices \(missing.joined(separator: ", ")) and the API cannot add them",
                            instructions: "Add the choices to the field in the base, or set 'typecast: true' on the field so the first write adds them; then plan again.")
                        changes.append(.manual(item))
                        blocked[field.name] = item.id
                    }
                }
                if update.name != nil || update.description != nil || update.choices != nil {
                    changes.append(.updateField(update))
                }
            }
            changes += noLongerDeclared(spec, in: table, declared: declaredIDs)
            resolved[spec.name] = ResolvedTable(spec: spec, remote: table, remoteNames: names, blockedFields: blocked,
                                                previousNames: previous)
        }
        if scope.isAll {
            for name in state.tables.keys.sorted() where manifest.table(named: name) == nil && remote.table(id: state.tables[name]!.id) != nil {
                changes.append(.manual(ManualItem(
                    kind: .tableNoLongerDeclared, table: name, field: nil,
                    message: "table '\(name)' is no longer declared in the manifests",
                    instructions: "Recon never deletes tables; delete it in the base if it is no longer wanted. Its records are no longer managed.")))
            }
        }
        return (changes, resolved)
    }

    /// The table by the id the state recorded, else by name.
    private func remoteTable(for spec: TableSpec) -> RemoteTable? {
        remote.table(id: state.tables[spec.name]?.id, named: spec.name)
    }

    /// Fields the state maps that the manifests no longer declare and the base still has: shown once, as
    /// no longer managed; the state then forgets them and the base keeps them with their values.
    private func noLongerDeclared(_ spec: TableSpec, in table: RemoteTable, declared: Set<String>) -> [SchemaChange] {
        guard let known = state.tables[spec.name]?.fields else { return [] }
        return known.sorted(by: { $0.key < $1.key }).compactMap { name, id in
            guard spec.field(named: name) == nil, !declared.contains(id), table.field(id: id) != nil else { return nil }
            return .unmanageField(table: spec.name, fieldID: id, field: name)
        }
    }

    /// The field by the id the state recorded (so a rename in the base is followed), else by name; a field not
    /// found so with `renamed_from` is the one the state (or else the base) knows under its previous name.
    private func remoteField(_ field: FieldSpec, of table: String, in remoteTable: RemoteTable) -> RemoteField? {
        let known = state.tables[table]?.fields
        if let id = known?[field.name], let found = remoteTable.field(id: id) { return found }
        if let found = remoteTable.field(named: field.name) { return found }
        guard let old = field.renamedFrom?.value else { return nil }
        if let id = known?[old], let found = remoteTable.field(id: id) { return found }
        return remoteTable.field(named: old)
    }

    private func incompatibility(_ field: FieldSpec, _ existing: RemoteField, table: String) -> ManualItem? {
        let wanted = field.type.name
        if existing.type != .declarable(wanted) {
            return ManualItem(
                kind: .fieldTypeChanged, table: table, field: field.name,
                message: "field '\(field.name)' of table '\(table)' is \(existing.type) in the base but \(wanted.rawValue) in the manifests",
                instructions: "Change the field's type in the base (the API cannot), or change the manifest back; then plan again. Writes to this field wait until then.")
        }
        if let linked = field.type.linkedTable, let id = existing.linkedTableID, let target = remote.table(id: id), target.name != linked,
           state.tables[linked]?.id != id {
            return ManualItem(
                kind: .fieldOptionsChanged, table: table, field: field.name,
                message: "field '\(field.name)' of table '\(table)' links to '\(target.name)' in the base but to '\(linked)' in the manifests",
                instructions: "Point the link at '\(linked)' in the base, or change the manifest back; then plan again.")
        }
        if case .number(let precision) = field.type, let have = existing.precision, have != precision {
            return ManualItem(
                kind: .fieldOptionsChanged, table: table, field: field.name,
                message: "field '\(field.name)' of table '\(table)' has precision \(have) in the base but \(precision) in the manifests",
                instructions: "Change the field's precision in the base, or change the manifest back; then plan again.")
        }
        return nil
    }

    /// A table under the declared name that Recon's metadata does not describe: never created over, never written.
    /// What it holds against what the manifests declare is said, so the person deciding knows what differs.
    private func notCreatedByRecon(_ spec: TableSpec, _ foreign: ForeignTable) -> ManualItem {
        let columns = Set(foreign.columns.map { Array($0.utf8) })
        let missing = spec.fields.map(\.name).filter { !columns.contains(Array($0.utf8)) }
        let key = spec.key.value
        var findings = [missing.contains(key) ? "it has no key column '\(key)'" : "its key column '\(key)' is there"]
        if !missing.filter({ $0 != key }).isEmpty {
            findings.append("it lacks the columns \(missing.filter { $0 != key }.joined(separator: ", "))")
        }
        return ManualItem(
            kind: .tableNotCreatedByRecon, table: spec.name, field: nil,
            message: "table '\(spec.name)' is in the base but Recon did not create it (columns: \(foreign.columns.joined(separator: ", "))); "
                + findings.joined(separator: ", "),
            instructions: "Recon does not take over tables other tools made. Rename or drop that table in the base, or give the "
                + "table another name in the manifests; then plan again. Its rows are left alone, and its records wait until then.")
    }

    /// A field whose type the remote's API cannot create: someone creates it by hand.
    private func notCreatable(_ field: FieldDefinition, table: String) -> ManualItem? {
        guard !remote.capabilities.canCreate(type: field.type) else { return nil }
        return ManualItem(
            kind: .fieldTypeNotCreatable, table: table, field: field.name,
            message: "field '\(field.name)' of table '\(table)' is \(field.type.rawValue), which the API cannot create",
            instructions: "Create the field '\(field.name)' with type \(field.type.rawValue) in the base by hand; then plan again. Writes to this field wait until then.")
    }

    private func plannedFields(_ spec: TableSpec) -> [FieldDefinition] {
        let key = spec.fields.filter { $0.name == spec.key.value }
        return (key + spec.fields.filter { $0.name != spec.key.value }).map(planned)
    }

    private func planned(_ field: FieldSpec) -> FieldDefinition {
        var precision: Int?
        if case .number(let digits) = field.type { precision = digits }
        return FieldDefinition(name: field.name, type: field.type.name, description: field.description,
                            choices: field.type.choices, linkedTable: field.type.linkedTable, precision: precision)
    }

    private func normalized(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
