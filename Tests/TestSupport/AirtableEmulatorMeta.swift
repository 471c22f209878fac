import Foundation
import ReconCore

/// The metadata API: `/v0/meta/bases/{base}/tables[/{table}[/fields[/{field}]]]`.
extension AirtableEmulator {
    func meta(_ request: HTTPRequest, parts: [String], base: EmulatedBase, body: JSONValue) throws(EmulatorError) -> JSONValue {
        guard parts.first == "tables" else { throw EmulatorError.notFound("route \(request.path)") }
        switch (request.method, parts.count) {
        case ("GET", 1):
            return ["tables": .array(base.tables.map(\.json))]
        case ("POST", 1):
            return try createTable(body, in: base).json
        case ("PATCH", 2):
            let table = try findTable(parts[1], in: base)
            try allowOnly(["name", "description"], in: body, what: "table")
            if let name = body["name"]?.stringValue {
                guard !name.isEmpty, !base.tables.contains(where: { $0.id != table.id && $0.name.lowercased() == name.lowercased() }) else {
                    throw EmulatorError(422, "DUPLICATE_TABLE_NAME", "Table name '\(name)' is empty or already used")
                }
                table.name = name
            }
            if let description = body["description"] { table.description = description.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
            return table.json
        case ("POST", 3) where parts[2] == "fields":
            let table = try findTable(parts[1], in: base)
            let field = try EmulatorRules.field(body, base: base, existing: table.fields)
            table.fields.append(field)
            return field.json
        case ("PATCH", 4) where parts[2] == "fields":
            let table = try findTable(parts[1], in: base)
            guard let index = table.fields.firstIndex(where: { $0.id == parts[3] }) else { throw EmulatorError.notFound("field \(parts[3])") }
            try allowOnly(["name", "description"], in: body, what: "field")
            if let name = body["name"]?.stringValue {
                guard !name.isEmpty, !table.fields.contains(where: { $0.id != parts[3] && $0.name.lowercased() == name.lowercased() }) else {
                    throw EmulatorError(422, "DUPLICATE_OR_EMPTY_FIELD_NAME", "Field name '\(name)' is empty or already used")
                }
                table.fields[index].name = name
            }
            if let description = body["description"] {
                table.fields[index].description = description.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            }
            return table.fields[index].json
        default:
            throw EmulatorError.notFound("route \(request.method) \(request.path)")
        }
    }

    func findTable(_ idOrName: String, in base: EmulatedBase) throws(EmulatorError) -> EmulatedTable {
        guard let table = base.table(idOrName) else { throw EmulatorError.notFound("table \(idOrName)") }
        return table
    }

    private func createTable(_ body: JSONValue, in base: EmulatedBase) throws(EmulatorError) -> EmulatedTable {
        guard let name = body["name"]?.stringValue, !name.isEmpty else { throw .invalid("A table needs a name") }
        guard !base.tables.contains(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw EmulatorError(422, "DUPLICATE_TABLE_NAME", "Table name '\(name)' is already used")
        }
        guard let specs = body["fields"]?.arrayValue, !specs.isEmpty else { throw .invalid("A table needs at least one field") }
        var fields: [EmulatedField] = []
        for spec in specs { fields.append(try EmulatorRules.field(spec, base: base, existing: fields)) }
        guard !EmulatorRules.notPrimary.contains(fields[0].type) else {
            throw EmulatorError(422, "INVALID_PRIMARY_FIELD_TYPE", "A field of type \(fields[0].type) cannot be the primary field")
        }
        let table = EmulatedTable(id: EmulatorIDs.make("tbl"), name: name,
                                  description: body["description"]?.stringValue, fields: fields)
        base.tables.append(table)
        return table
    }

    /// Airtable updates only names and descriptions here; anything else (type, options) is refused.
    private func allowOnly(_ keys: Set<String>, in body: JSONValue, what: String) throws(EmulatorError) {
        guard let object = body.objectValue, !object.isEmpty else { throw .invalid("Nothing to update") }
        for key in object.keys where !keys.contains(key) {
            throw .invalid("Only the name and description of a \(what) can be updated, not '\(key)'")
        }
    }
}
