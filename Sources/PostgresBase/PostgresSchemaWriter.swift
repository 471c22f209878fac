import Postgres
import ReconCore
import Remote

/// Creates, describes and renames tables and fields (apply, schema phase), each in one transaction, SQL
/// and metadata together so they never disagree. Descriptions live in the metadata only: a COMMENT would
/// need the text spliced into SQL.
struct PostgresSchemaWriter {
    let connection: PGConnection
    let catalog: PostgresCatalog
    let schema: RemoteSchema

    private var meta: String { catalog.meta }
    private static let id = PGIdentifier.quote(PostgresCatalog.idColumn)

    /// The CHECK constraint that holds a select field to its choices.
    static func choiceConstraint(_ fieldID: String) -> String { "_recon_choices_\(fieldID)" }

    func createTable(_ definition: TableDefinition) throws -> RemoteTable {
        let name = definition.name
        try checkName(name, what: "table name")
        guard definition.fields.contains(where: { $0.name == definition.keyField }) else {
            throw ReconError("table '\(ControlEscape.escaped(name))' has no field named '\(ControlEscape.escaped(definition.keyField))' to be its key field")
        }
        var seen = Set<[UInt8]>()
        for field in definition.fields where !seen.insert(Array(field.name.utf8)).inserted {
            throw ReconError("table '\(ControlEscape.escaped(name))' declares field '\(ControlEscape.escaped(field.name))' twice")
        }
        let tableID = RemoteID.table()
        let fields = try definition.fields.map { try remoteField($0, of: name, newTable: (name, tableID)) }
        let keyID = fields.first { $0.name == definition.keyField }!.id
        let table = RemoteTable(id: tableID, name: name, description: definition.description, primaryFieldID: keyID, fields: fields)
        try catalog.writing {
            try connection.exec("DELETE FROM \(meta).fields WHERE table_id IN (SELECT id FROM \(meta).tables WHERE name = $1)", [.text(name)])
            try connection.exec("DELETE FROM \(meta).tables WHERE name = $1", [.text(name)])
            if try catalog.relations()[Array(name.utf8)] != nil {
                throw ReconError("a table named '\(ControlEscape.escaped(name))' already exists in schema \(catalog.schema) but Recon did not create it",
                                 hint: "rename or drop that table, or point the target at another schema")
            }
            let columns = ["\(Self.id) text PRIMARY KEY"] + fields.map { "\(PGIdentifier.quote($0.name)) \(kind($0).sqlType)" }
            try connection.exec("CREATE TABLE \(catalog.table(name)) (\(columns.joined(separator: ", ")))")
            try connection.exec("CREATE UNIQUE INDEX \(PGIdentifier.quote(PostgresCatalog.keyIndexPrefix + tableID)) ON \(catalog.table(name)) (\(PGIdentifier.quote(definition.keyField)))")
            for field in fields { try constrainChoices(field, in: name) }
            try register(table)
            try PostgresChangeLog(connection: connection, catalog: catalog).install(tables: [name])
        }
        return table
    }

    /// Takes over a table another tool made, in one transaction: a `_recon_id` column filled with a fresh id
    /// per row, unique indexes on it and on the key, the choice constraints, and the metadata for the declared
    /// fields that are already columns. Other columns and every cell are left as they are. A repeated key, or a
    /// cell outside its choices, refuses the whole adoption with nothing written.
    func adoptTable(_ definition: TableDefinition) throws -> RemoteTable {
        let name = definition.name
        try checkName(name, what: "table name")
        guard schema.table(named: name) == nil, let foreign = schema.foreignTable(named: name), foreign.unadoptable == nil else {
            throw ReconError("table '\(ControlEscape.escaped(name))' is not a table Recon can adopt in schema \(catalog.schema)",
                             hint: "run 'recon plan' again: the base changed since it was read")
        }
        let present = Set(foreign.columns.map { Array($0.utf8) })
        guard definition.fields.allSatisfy({ present.contains(Array($0.name.utf8)) }),
              definition.fields.contains(where: { $0.name == definition.keyField }) else {
            throw ReconError("table '\(ControlEscape.escaped(name))' lacks a column the adoption expects", hint: "run 'recon plan' again: the base changed since it was read")
        }
        let tableID = RemoteID.table()
        let fields = try definition.fields.map { try remoteField($0, of: name, newTable: (name, tableID)) }
        let keyID = fields.first { $0.name == definition.keyField }!.id
        let table = RemoteTable(id: tableID, name: name, description: definition.description, primaryFieldID: keyID, fields: fields)
        let qualified = catalog.table(name)
        try catalog.writing {
            try connection.exec("ALTER TABLE \(qualified) ADD COLUMN \(Self.id) text")
            // The table is locked by the ALTER until commit, so the row handles read here stay valid.
            let rows = try connection.exec("SELECT ctid::text FROM \(qualified)").rows.compactMap { $0[0] }
            var writer = JSONWriter(capacity: 48 * max(1, rows.count))
            writer.beginArray()
            for row in rows {
                writer.beginObject()
                writer.key("ctid"); writer.string(row)
                writer.key("id"); writer.string(RemoteID.record())
                writer.endObject()
            }
            writer.endArray()
            try connection.exec("""
                UPDATE \(qualified) AS t SET \(Self.id) = v.id FROM json_to_recordset($1::json) AS v(ctid tid, id text) WHERE t.ctid = v.ctid
                """, [.text(String(decoding: writer.finish(), as: UTF8.self))])
            try connection.exec("ALTER TABLE \(qualified) ALTER COLUMN \(Self.id) SET NOT NULL")
            try connection.exec("CREATE UNIQUE INDEX \(PGIdentifier.quote("_recon_id_" + tableID)) ON \(qualified) (\(Self.id))")
            // Fails on a repeated key, so a row added under an existing key since planning stops it all.
            try connection.exec("CREATE UNIQUE INDEX \(PGIdentifier.quote(PostgresCatalog.keyIndexPrefix + tableID)) ON \(qualified) (\(PGIdentifier.quote(definition.keyField)))")
            for field in fields { try constrainChoices(field, in: name) }
            try register(table)
            try PostgresChangeLog(connection: connection, catalog: catalog).install(tables: [name])
        }
        return table
    }

    func createField(_ definition: FieldDefinition, in table: RemoteTable) throws -> RemoteField {
        let field = try remoteField(definition, of: table.name, newTable: nil)
        try catalog.writing {
            try connection.exec("DELETE FROM \(meta).fields WHERE table_id = $1 AND name = $2", [.text(table.id), .text(field.name)])
            if try catalog.relations()[Array(table.name.utf8)]?.columns.contains(where: { Array($0.name.utf8) == Array(field.name.utf8) }) == true {
                throw ReconError("a column named '\(ControlEscape.escaped(field.name))' already exists in table '\(ControlEscape.escaped(table.name))' but Recon did not create it",
                                 hint: "rename or drop that column in schema \(catalog.schema)")
            }
            try connection.exec("ALTER TABLE \(catalog.table(table.name)) ADD COLUMN \(PGIdentifier.quote(field.name)) \(kind(field).sqlType)")
            try constrainChoices(field, in: table.name)
            try insertMetadata(field, table: table)
        }
        return field
    }

    func updateTable(_ table: RemoteTable, description: String?) throws {
        try connection.exec("UPDATE \(meta).tables SET description = $1 WHERE id = $2", [description.map(PGValue.text) ?? .null, .text(table.id)])
    }

    /// A rename moves the SQL table and its metadata together, in one transaction.
    func renameTable(_ table: RemoteTable, to name: String) throws {
        try checkName(name, what: "table name")
        try catalog.writing {
            try connection.exec("ALTER TABLE \(catalog.table(table.name)) RENAME TO \(PGIdentifier.quote(name))")
            try connection.exec("UPDATE \(meta).tables SET name = $1 WHERE id = $2", [.text(name), .text(table.id)])
        }
    }

    func updateField(_ field: RemoteField, in table: RemoteTable, description: String?) throws {
        guard table.field(id: field.id) != nil else { throw missing(field, in: table) }
        try connection.exec("UPDATE \(meta).fields SET description = $1 WHERE id = $2 AND table_id = $3",
                            [description.map(PGValue.text) ?? .null, .text(field.id), .text(table.id)])
    }

    /// A rename moves the column and its metadata together; new choices replace the CHECK constraint. One transaction.
    func updateField(_ field: RemoteField, in table: RemoteTable, name: String?, choices: [String]?) throws {
        guard var current = table.field(id: field.id) else { throw missing(field, in: table) }
        if let name { try checkName(name, what: "field name") }
        try catalog.writing {
            if let name, Array(name.utf8) != Array(current.name.utf8) {
                try connection.exec("ALTER TABLE \(catalog.table(table.name)) RENAME COLUMN \(PGIdentifier.quote(current.name)) TO \(PGIdentifier.quote(name))")
                try connection.exec("UPDATE \(meta).fields SET name = $1 WHERE id = $2 AND table_id = $3", [.text(name), .text(field.id), .text(table.id)])
                current.name = name
            }
            if let choices {
                current.choices = choices
                try connection.exec("ALTER TABLE \(catalog.table(table.name)) DROP CONSTRAINT IF EXISTS \(PGIdentifier.quote(Self.choiceConstraint(field.id)))")
                try constrainChoices(current, in: table.name)
                try connection.exec("UPDATE \(meta).fields SET choices = $1::text[] WHERE id = $2 AND table_id = $3",
                                    [.text(PostgresArray.literal(choices)), .text(field.id), .text(table.id)])
            }
        }
    }

    // MARK: Internals

    private func kind(_ field: RemoteField) -> PostgresColumnKind {
        field.type.declarable.map { PostgresColumnKind(type: $0, precision: field.precision) } ?? .other
    }

    /// Holds a select field to its choices. DDL takes no parameters, so the choices reach it as one literal
    /// that the server itself quotes (`quote_literal` of a `text[]` parameter): no choice is ever SQL text.
    private func constrainChoices(_ field: RemoteField, in table: String) throws {
        guard let type = field.type.declarable, type == .singleSelect || type == .multipleSelects else { return }
        let quoted = try connection.exec("SELECT quote_literal($1::text[])", [.text(PostgresArray.literal(field.choices ?? []))])
        guard let literal = quoted.rows.first?[0] else { throw ReconError("PostgreSQL did not quote the choices of field '\(field.name)'") }
        let column = PGIdentifier.quote(field.name)
        let check = type == .singleSelect ? "\(column) = ANY (\(literal)::text[])" : "\(column) <@ \(literal)::text[]"
        try connection.exec("ALTER TABLE \(catalog.table(table)) ADD CONSTRAINT \(PGIdentifier.quote(Self.choiceConstraint(field.id))) CHECK (\(check))")
    }

    /// Recon's metadata for a table it now owns (made or adopted): its row, then its fields'.
    private func register(_ table: RemoteTable) throws {
        try connection.exec("""
            INSERT INTO \(meta).tables (id, name, description, key_field_id, position)
            VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM \(meta).tables))
            """, [.text(table.id), .text(table.name), table.description.map(PGValue.text) ?? .null, table.primaryFieldID.map(PGValue.text) ?? .null])
        for field in table.fields { try insertMetadata(field, table: table) }
    }

    /// The column's position is kept beside its name, so a column renamed in psql is still found.
    private func insertMetadata(_ field: RemoteField, table: RemoteTable) throws {
        try connection.exec("""
            INSERT INTO \(meta).fields (id, table_id, name, type, description, choices, linked_table_id, precision, attnum, position)
            VALUES ($1, $2, $3::text, $4, $5, $6::text[], $7, $8::integer,
                    (SELECT attnum FROM pg_attribute WHERE attrelid = $9::regclass AND attname = $3::text),
                    (SELECT COALESCE(MAX(position), 0) + 1 FROM \(meta).fields WHERE table_id = $2))
            """, [.text(field.id), .text(table.id), .text(field.name), .text(field.type.description),
                  field.description.map(PGValue.text) ?? .null, field.choices.map { .text(PostgresArray.literal($0)) } ?? .null,
                  field.linkedTableID.map(PGValue.text) ?? .null, field.precision.map(PGValue.integer) ?? .null,
                  .text(catalog.table(table.name))])
    }

    /// Names PostgreSQL would cut or cannot hold, and the record id's column, are refused before anything is written.
    private func checkName(_ name: String, what: String) throws {
        if let problem = PGIdentifier.problem(with: name) {
            throw ReconError("\(what) '\(ControlEscape.escaped(name))' \(problem)", hint: "rename it; nothing was written")
        }
    }

    /// Validates a definition and resolves its link target (which may be the table being created).
    private func remoteField(_ definition: FieldDefinition, of table: String, newTable: (name: String, id: String)?) throws -> RemoteField {
        try checkName(definition.name, what: "field name")
        guard definition.name != PostgresCatalog.idColumn else {
            throw ReconError("field name '\(definition.name)' is reserved by the PostgreSQL provider", hint: "rename the field")
        }
        var linkedID: String?
        if definition.type == .multipleRecordLinks {
            guard let target = definition.linkedTable else {
                throw ReconError("link field '\(ControlEscape.escaped(definition.name))' does not name the table it links to")
            }
            if let newTable, newTable.name == target {
                linkedID = newTable.id
            } else if let existing = schema.table(named: target) {
                linkedID = existing.id
            } else {
                throw ReconError("link field '\(ControlEscape.escaped(definition.name))' links to table '\(ControlEscape.escaped(target))', which does not exist yet",
                                 hint: "create '\(target)' first, then add the link field")
            }
        }
        return RemoteField(id: RemoteID.field(), name: definition.name, type: .declarable(definition.type), description: definition.description,
                           choices: definition.choices, linkedTableID: linkedID,
                           precision: definition.type == .number ? definition.precision ?? FieldType.defaultPrecision : nil)
    }

    private func missing(_ field: RemoteField, in table: RemoteTable) -> ReconError {
        ReconError("field '\(ControlEscape.escaped(field.name))' (\(field.id)) does not exist in table '\(ControlEscape.escaped(table.name))'",
                   hint: "run 'recon plan' again: the base changed since it was read")
    }
}
