import ReconCore

extension RemoteSchema {
    /// SHA-256 over everything of the schema the planner reads (tables, fields, their ids, names, types, choices,
    /// links and descriptions; capabilities; foreign tables), in the order the base reports it: a plan receipt
    /// holds it so apply can tell the base's schema is still the one planned against. Any difference is a change.
    public var fingerprint: String {
        let tables = tables.map { table -> JSONValue in
            .object(["id": .string(table.id), "name": .string(table.name), "description": Self.optional(table.description),
                     "primary": Self.optional(table.primaryFieldID), "fields": .array(table.fields.map(Self.field))])
        }
        let foreign = foreignTables.map { table -> JSONValue in
            .object(["name": .string(table.name), "columns": .array(table.columns.map { .string($0) }),
                     "holds": .object(table.holds.mapValues { .array($0.map(\.rawValue).sorted().map { .string($0) }) }),
                     "unadoptable": Self.optional(table.unadoptable)])
        }
        let creatable = capabilities.creatableFieldTypes.map { JSONValue.array($0.map(\.rawValue).sorted().map { .string($0) }) }
        let document = JSONValue.object([
            "tables": .array(tables), "foreign_tables": .array(foreign), "creatable_types": creatable ?? .null,
            "can_update_choices": .bool(capabilities.canUpdateFieldChoices),
        ])
        return SHA256.hex(document.canonicalBytes())
    }

    private static func field(_ field: RemoteField) -> JSONValue {
        .object(["id": .string(field.id), "name": .string(field.name), "type": .string(field.type.description),
                 "description": optional(field.description), "choices": field.choices.map { .array($0.map { .string($0) }) } ?? .null,
                 "linked_table": optional(field.linkedTableID), "precision": field.precision.map { .number(Double($0)) } ?? .null])
    }

    private static func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
}
