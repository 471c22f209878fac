import Manifest
import Plan
import ReconCore
import Remote

/// Applies schema changes: table renames first (so every later step finds its table), then tables (link
/// fields to tables not created yet deferred), then fields, then descriptions, field renames and choices.
/// Manual items are left to people. Tables are found by the id the state recorded, then by name.
struct SchemaApplier {
    let provider: any BaseProvider
    let manifest: Manifest
    /// Table name → the id the state recorded.
    let tableIDs: [String: String]

    /// Returns the number of changes made.
    func apply(_ changes: [SchemaChange]) throws -> Int {
        var schema = try provider.inspectSchema()
        var made = 0
        for change in changes {
            guard case .updateTable(let update) = change, let name = update.name,
                  let remote = schema.table(id: update.tableID), remote.name != name.after else { continue }
            try provider.updateTable(remote, name: name.after)
            schema = try provider.inspectSchema()
            made += update.description == nil ? 1 : 0
        }
        func table(_ name: String) -> RemoteTable? { schema.table(id: tableIDs[name], named: name) }
        var deferred: [(table: String, field: FieldDefinition)] = []
        for change in changes {
            guard case .createTable(let name, let description, let fields) = change else { continue }
            guard table(name) == nil else { continue }  // made by an interrupted run
            let now = fields.filter { field in
                guard let linked = field.linkedTable else { return true }
                return linked == name || table(linked) != nil
            }
            deferred += fields.filter { field in !now.contains(field) }.map { (name, $0) }
            let key = manifest.table(named: name)?.key.value ?? fields[0].name
            _ = try provider.createTable(TableDefinition(name: name, description: description, keyField: key,
                                                         fields: now))
            schema = try provider.inspectSchema()
            made += 1
        }
        for change in changes {
            if case .createField(let table, let field) = change { deferred.append((table, field)) }
        }
        for (name, field) in deferred {
            guard let remote = table(name) else {
                throw ReconError("table '\(name)' is missing from the base while adding field '\(field.name)'")
            }
            guard remote.field(named: field.name) == nil else { continue }
            _ = try provider.createField(field, in: remote)
            schema = try provider.inspectSchema()
            made += 1
        }
        for change in changes {
            switch change {
            case .updateTable(let update):
                guard let description = update.description, let remote = schema.table(id: update.tableID) ?? table(update.table) else { continue }
                try provider.updateTable(remote, description: description.after)
                made += 1
            case .updateField(let update):
                guard let remote = schema.tables.first(where: { $0.fields.contains { $0.id == update.fieldID } }),
                      let field = remote.field(id: update.fieldID) else { continue }
                if let description = update.description {
                    try provider.updateField(field, in: remote, description: description.after)
                }
                if update.name != nil || update.choices != nil {
                    try provider.updateField(field, in: remote, name: update.name?.after, choices: update.choices?.after)
                }
                made += 1
            default:
                continue
            }
        }
        return made
    }
}
