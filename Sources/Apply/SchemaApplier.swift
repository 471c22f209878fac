import Manifest
import Plan
import ReconCore
import Remote

/// Applies schema changes: tables first (link fields to tables not created yet deferred), then fields,
/// then descriptions, renames and choices. Manual items are left to people.
struct SchemaApplier {
    let provider: any BaseProvider
    let manifest: Manifest

    /// Returns the number of changes made.
    func apply(_ changes: [SchemaChange]) throws -> Int {
        var schema = try provider.inspectSchema()
        var made = 0
        var deferred: [(table: String, field: FieldDefinition)] = []
        for change in changes {
            guard case .createTable(let name, let description, let fields) = change else { continue }
            guard schema.table(named: name) == nil else { continue }  // made by an interrupted run
            let now = fields.filter { field in
                guard let linked = field.linkedTable else { return true }
                return linked == name || schema.table(named: linked) != nil
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
        for (table, field) in deferred {
            guard let remote = schema.table(named: table) else {
                throw ReconError("table '\(table)' is missing from the base while adding field '\(field.name)'")
            }
            guard remote.field(named: field.name) == nil else { continue }
            _ = try provider.createField(field, in: remote)
            schema = try provider.inspectSchema()
            made += 1
        }
        for change in changes {
            switch change {
            case .updateTable(let table, let id, let description):
                guard let remote = schema.table(id: id) ?? schema.table(named: table) else { continue }
                try provider.updateTable(remote, description: description.after)
                made += 1
            case .updateField(let update):
                guard let remote = schema.table(named: update.table) ?? schema.tables.first(where: { $0.fields.contains { $0.id == update.fieldID } }),
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
