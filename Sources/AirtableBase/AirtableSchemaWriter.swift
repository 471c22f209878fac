import ReconCore
import Remote

/// Creates and describes tables and fields through the metadata API. Creating is not idempotent
/// on Airtable's side, so a create whose answer was lost and whose retry meets "duplicate name"
/// adopts what the first attempt made, when it has the shape asked for.
struct AirtableSchemaWriter {
    let client: AirtableClient
    /// The schema as last read; link targets are resolved by name here.
    let schema: RemoteSchema

    private var tablesPath: String { "meta/bases/\(client.configuration.baseID)/tables" }

    func createTable(_ definition: TableDefinition) throws -> RemoteTable {
        guard let key = definition.fields.first(where: { $0.name == definition.keyField }) else {
            throw ReconError("table '\(definition.name)' has no field named '\(definition.keyField)' to be its key field")
        }
        // The key becomes the primary field (listed first). Links to tables that do not exist yet,
        // this one included, are added once the table has an id.
        var now: [JSONValue] = [AirtableFieldCodec.fieldJSON(key, linkedTableID: nil)]
        var later: [FieldDefinition] = []
        for field in definition.fields where field.name != definition.keyField {
            if field.type == .multipleRecordLinks {
                guard let target = field.linkedTable.flatMap(schema.table(named:)), target.name != definition.name else {
                    later.append(field)
                    continue
                }
                now.append(AirtableFieldCodec.fieldJSON(field, linkedTableID: target.id))
            } else {
                now.append(AirtableFieldCodec.fieldJSON(field, linkedTableID: nil))
            }
        }
        var body: [String: JSONValue] = ["name": .string(definition.name), "fields": .array(now)]
        if let description = definition.description, !description.isEmpty { body["description"] = .string(description) }
        var table: RemoteTable
        do {
            let json = try client.send("POST", tablesPath, body: .object(body))
            guard let created = AirtableFieldCodec.table(json) else { throw malformed("create table '\(definition.name)'") }
            table = created
        } catch let failure as AirtableFailure where failure.type == "DUPLICATE_TABLE_NAME" {
            table = try adoptTable(definition, failure: failure)
        }
        for field in later where table.field(named: field.name) == nil {
            let target = field.linkedTable == definition.name ? table : nil
            table.fields.append(try createField(field, in: table, newTable: target))
        }
        return table
    }

    func createField(_ definition: FieldDefinition, in table: RemoteTable, newTable: RemoteTable? = nil) throws -> RemoteField {
        var linked: String?
        if definition.type == .multipleRecordLinks {
            guard let name = definition.linkedTable else {
                throw ReconError("link field '\(definition.name)' does not name the table it links to")
            }
            guard let target = newTable.flatMap({ $0.name == name ? $0 : nil }) ?? schema.table(named: name) ?? (table.name == name ? table : nil) else {
                throw ReconError("link field '\(definition.name)' links to table '\(name)', which does not exist yet",
                                 hint: "create '\(name)' first, then add the link field")
            }
            linked = target.id
        }
        do {
            let json = try client.send("POST", "\(tablesPath)/\(table.id)/fields",
                                       body: AirtableFieldCodec.fieldJSON(definition, linkedTableID: linked))
            guard let field = AirtableFieldCodec.field(json) else { throw malformed("create field '\(definition.name)'") }
            return field
        } catch let failure as AirtableFailure where failure.type == "DUPLICATE_OR_EMPTY_FIELD_NAME" {
            let current = try AirtableSchemaReader(client: client).schema().table(id: table.id)
            guard let existing = current?.field(named: definition.name), existing.type == .declarable(definition.type) else {
                throw failure.reconError
            }
            return existing
        }
    }

    func updateTable(_ table: RemoteTable, description: String?) throws {
        _ = try client.send("PATCH", "\(tablesPath)/\(table.id)", body: ["description": description.map(JSONValue.string) ?? .null])
    }

    func renameTable(_ table: RemoteTable, to name: String) throws {
        _ = try client.send("PATCH", "\(tablesPath)/\(table.id)", body: ["name": .string(name)])
    }

    /// Airtable's field update takes a name and a description, nothing else; each is sent alone
    /// so one never overwrites the other with a stale copy.
    func updateField(_ field: RemoteField, in table: RemoteTable, description: String?) throws {
        _ = try client.send("PATCH", "\(tablesPath)/\(table.id)/fields/\(field.id)",
                            body: ["description": description.map(JSONValue.string) ?? .null])
    }

    func renameField(_ field: RemoteField, in table: RemoteTable, to name: String) throws {
        _ = try client.send("PATCH", "\(tablesPath)/\(table.id)/fields/\(field.id)", body: ["name": .string(name)])
    }

    // MARK: Internals

    /// A table of that name exists after all: take it when its key field matches, as after a retry.
    private func adoptTable(_ definition: TableDefinition, failure: AirtableFailure) throws -> RemoteTable {
        let current = try AirtableSchemaReader(client: client).schema()
        guard let table = current.table(named: definition.name),
              let primary = table.primaryFieldID.flatMap(table.field(id:)), primary.name == definition.keyField else {
            throw ReconError(failure.description, hint: "a table named '\(definition.name)' already exists with another key field; rename one of them")
        }
        return table
    }

    private func malformed(_ what: String) -> ReconError {
        ReconError("Airtable's answer to \(what) was not the table or field expected", hint: "check api_url points at the Airtable API")
    }
}
