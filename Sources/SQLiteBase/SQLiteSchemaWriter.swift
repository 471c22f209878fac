import ReconCore
import Remote

/// Creates and describes tables and fields (apply, schema phase), each in one transaction,
/// SQL and metadata together so they never disagree.
struct SQLiteSchemaWriter {
    let connection: SQLiteConnection
    let schema: RemoteSchema

    func createTable(_ definition: TableDefinition) throws -> RemoteTable {
        let name = definition.name
        try checkTableName(name)
        if schema.table(named: name) != nil {
            throw ReconError("table '\(name)' already exists in the SQLite base '\(connection.path)'")
        }
        guard definition.fields.contains(where: { $0.name == definition.keyField }) else {
            throw ReconError("table '\(name)' has no field named '\(definition.keyField)' to be its key field")
        }
        var seen = Set<String>()
        for field in definition.fields where !seen.insert(field.name.lowercased()).inserted {
            throw ReconError("table '\(name)' declares field '\(field.name)' twice",
                             hint: "SQLite column names ignore case, so 'A' and 'a' are the same field")
        }
        let tableID = RemoteID.table()
        let fields = try definition.fields.map { try remoteField($0, id: RemoteID.field(), of: name, newTable: (name, tableID)) }
        let keyID = fields.first { $0.name == definition.keyField }!.id
        try connection.transaction {
            try removeStaleMetadata(table: name)
            if try SQLiteCatalog.columns(of: name, in: connection) != nil {
                throw ReconError("a table named '\(name)' already exists in '\(connection.path)' but Recon did not create it",
                                 hint: "rename or drop that table, or point the target at another database")
            }
            let columns = ["\(SQLIdentifier.quote(SQLiteCatalog.reservedColumn)) TEXT PRIMARY KEY NOT NULL"]
                + fields.map { "\(SQLIdentifier.quote($0.name)) \(ColumnKind(type: $0.type)!.sqlType)" }
            try connection.executeOne("CREATE TABLE \(SQLIdentifier.quote(name)) (\(columns.joined(separator: ", ")))")
            try connection.executeOne("""
                CREATE UNIQUE INDEX \(SQLIdentifier.quote("_recon_key_" + tableID)) \
                ON \(SQLIdentifier.quote(name)) (\(SQLIdentifier.quote(definition.keyField)))
                """)
            try registerTable(RemoteTable(id: tableID, name: name, description: definition.description, primaryFieldID: keyID, fields: fields))
        }
        connection.forgetStatements()
        return RemoteTable(id: tableID, name: name, description: definition.description, primaryFieldID: keyID, fields: fields)
    }

    /// Recon's metadata for a table it now owns (made or adopted): its row in `_recon_tables`, then its fields'.
    private func registerTable(_ table: RemoteTable) throws {
        let insert = try connection.prepare("""
            INSERT INTO _recon_tables (id, name, description, key_field_id, position)
            VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM _recon_tables))
            """)
        try insert.bind(1, table.id)
        try insert.bind(2, table.name)
        try insert.bind(3, table.description)
        try insert.bind(4, table.primaryFieldID)
        try insert.run()
        for field in table.fields { try insertMetadata(field, tableID: table.id) }
    }

    /// Takes over a table another tool made, in one transaction: a `_recon_id` column filled with a fresh id per
    /// row, the unique indexes Recon's own tables have (id and key), and the metadata for the declared fields
    /// that are already columns. Other columns and every cell are left as they are. Refused, with nothing
    /// written, when the table is not (or no longer) one Recon did not create, or a key is missing or repeated.
    func adoptTable(_ definition: TableDefinition) throws -> RemoteTable {
        let name = definition.name
        try checkTableName(name)
        guard schema.table(named: name) == nil, let foreign = schema.foreignTable(named: name), foreign.unadoptable == nil else {
            throw ReconError("table '\(name)' is not a table Recon can adopt in '\(connection.path)'",
                             hint: "run 'recon plan' again: the base changed since it was read")
        }
        let columns = Set(foreign.columns.map { Array($0.utf8) })
        guard definition.fields.allSatisfy({ columns.contains(Array($0.name.utf8)) }),
              definition.fields.contains(where: { $0.name == definition.keyField }) else {
            throw ReconError("table '\(name)' lacks a column the adoption expects", hint: "run 'recon plan' again: the base changed since it was read")
        }
        let tableID = RemoteID.table()
        let fields = try definition.fields.map { try remoteField($0, id: RemoteID.field(), of: name, newTable: (name, tableID)) }
        let keyID = fields.first { $0.name == definition.keyField }!.id
        let table = SQLIdentifier.quote(name), id = SQLIdentifier.quote(SQLiteCatalog.reservedColumn)
        try connection.transaction {
            try connection.executeOne("ALTER TABLE \(table) ADD COLUMN \(id) TEXT")
            let rows = try connection.prepare("SELECT _rowid_ FROM \(table)")
            var rowids: [Int] = []
            while try rows.step() { rowids.append(rows.int(0)) }
            rows.reset()
            let fill = try connection.prepare("UPDATE \(table) SET \(id) = ? WHERE _rowid_ = ?")
            for rowid in rowids {
                try fill.bind(1, RemoteID.record())
                try fill.bind(2, rowid)
                try fill.run()
                fill.reset()
            }
            // The key index fails on a repeated key, so a row added under an existing key since planning stops it all.
            try connection.executeOne("CREATE UNIQUE INDEX \(SQLIdentifier.quote("_recon_id_" + tableID)) ON \(table) (\(id))")
            try connection.executeOne("CREATE UNIQUE INDEX \(SQLIdentifier.quote("_recon_key_" + tableID)) ON \(table) (\(SQLIdentifier.quote(definition.keyField)))")
            try registerTable(RemoteTable(id: tableID, name: name, description: definition.description, primaryFieldID: keyID, fields: fields))
        }
        connection.forgetStatements()
        return RemoteTable(id: tableID, name: name, description: definition.description, primaryFieldID: keyID, fields: fields)
    }

    /// Names Recon's metadata uses, and names SQLite cannot hold, are refused before anything is written.
    private func checkTableName(_ name: String) throws {
        guard !name.isEmpty, !name.lowercased().hasPrefix(SQLiteCatalog.metadataPrefix), !name.lowercased().hasPrefix("sqlite_") else {
            throw ReconError("table name '\(name)' is reserved by the SQLite provider",
                             hint: "names starting with '_recon_' or 'sqlite_' cannot be used; rename the table")
        }
        if let problem = SQLIdentifier.problem(with: name) {
            throw ReconError("table name '\(ControlEscape.escaped(name))' \(problem)", hint: "rename the table; nothing was written")
        }
    }

    func createField(_ definition: FieldDefinition, in table: RemoteTable) throws -> RemoteField {
        if table.fields.contains(where: { $0.name.lowercased() == definition.name.lowercased() }) {
            throw ReconError("field '\(definition.name)' already exists in table '\(table.name)'",
                             hint: "SQLite column names ignore case, so 'A' and 'a' are the same field")
        }
        let field = try remoteField(definition, id: RemoteID.field(), of: table.name, newTable: nil)
        try connection.transaction {
            let stale = try connection.prepare("DELETE FROM _recon_fields WHERE table_id = ? AND name = ?")
            try stale.bind(1, table.id)
            try stale.bind(2, field.name)
            try stale.run()
            if try SQLiteCatalog.columns(of: table.name, in: connection)?.contains(field.name) == true {
                throw ReconError("a column named '\(field.name)' already exists in table '\(table.name)' but Recon did not create it",
                                 hint: "rename or drop that column in '\(connection.path)'")
            }
            try connection.executeOne("""
                ALTER TABLE \(SQLIdentifier.quote(table.name)) \
                ADD COLUMN \(SQLIdentifier.quote(field.name)) \(ColumnKind(type: field.type)!.sqlType)
                """)
            try insertMetadata(field, tableID: table.id)
        }
        connection.forgetStatements()
        return field
    }

    func updateTable(_ table: RemoteTable, description: String?) throws {
        let statement = try connection.prepare("UPDATE _recon_tables SET description = ? WHERE id = ?")
        try statement.bind(1, description)
        try statement.bind(2, table.id)
        try statement.run()
    }

    /// A rename moves the SQL table and its metadata together, in one transaction.
    func renameTable(_ table: RemoteTable, to name: String) throws {
        try checkTableName(name)
        try connection.transaction {
            try connection.executeOne("ALTER TABLE \(SQLIdentifier.quote(table.name)) RENAME TO \(SQLIdentifier.quote(name))")
            let rename = try connection.prepare("UPDATE _recon_tables SET name = ? WHERE id = ?")
            try rename.bind(1, name)
            try rename.bind(2, table.id)
            try rename.run()
        }
        connection.forgetStatements()
    }

    func updateField(_ field: RemoteField, in table: RemoteTable, description: String?) throws {
        guard table.field(id: field.id) != nil else {
            throw ReconError("field '\(field.name)' (\(field.id)) does not exist in table '\(table.name)'",
                             hint: "run 'recon plan' again: the base changed since it was read")
        }
        let statement = try connection.prepare("UPDATE _recon_fields SET description = ? WHERE id = ? AND table_id = ?")
        try statement.bind(1, description)
        try statement.bind(2, field.id)
        try statement.bind(3, table.id)
        try statement.run()
    }

    /// A rename moves the column and its metadata together, in one transaction.
    func updateField(_ field: RemoteField, in table: RemoteTable, name: String?, choices: [String]?) throws {
        guard let current = table.field(id: field.id) else {
            throw ReconError("field '\(field.name)' (\(field.id)) does not exist in table '\(table.name)'",
                             hint: "run 'recon plan' again: the base changed since it was read")
        }
        if let name, let problem = SQLIdentifier.problem(with: name) {
            throw ReconError("field name '\(ControlEscape.escaped(name))' of table '\(table.name)' \(problem)", hint: "rename the field; nothing was written")
        }
        try connection.transaction {
            if let name, name != current.name {
                try connection.executeOne("ALTER TABLE \(SQLIdentifier.quote(table.name)) RENAME COLUMN \(SQLIdentifier.quote(current.name)) TO \(SQLIdentifier.quote(name))")
                let rename = try connection.prepare("UPDATE _recon_fields SET name = ? WHERE id = ? AND table_id = ?")
                try rename.bind(1, name)
                try rename.bind(2, field.id)
                try rename.bind(3, table.id)
                try rename.run()
            }
            if let choices {
                let update = try connection.prepare("UPDATE _recon_fields SET choices = ? WHERE id = ? AND table_id = ?")
                try update.bind(1, ColumnKind.encodeList(choices))
                try update.bind(2, field.id)
                try update.bind(3, table.id)
                try update.run()
            }
        }
    }

    // MARK: Internals

    /// Validates a definition and resolves its link target (which may be the table being created).
    private func remoteField(_ definition: FieldDefinition, id: String, of table: String, newTable: (name: String, id: String)?) throws -> RemoteField {
        guard !definition.name.isEmpty, definition.name.lowercased() != SQLiteCatalog.reservedColumn else {
            throw ReconError("field name '\(definition.name)' is reserved by the SQLite provider", hint: "rename the field")
        }
        if let problem = SQLIdentifier.problem(with: definition.name) {
            throw ReconError("field name '\(ControlEscape.escaped(definition.name))' of table '\(ControlEscape.escaped(table))' \(problem)",
                             hint: "rename the field; nothing was written")
        }
        let kind = ColumnKind(type: definition.type)
        var linkedID: String?
        if kind == .links {
            guard let target = definition.linkedTable else {
                throw ReconError("link field '\(definition.name)' does not name the table it links to")
            }
            if let newTable, newTable.name == target {
                linkedID = newTable.id
            } else if let existing = schema.table(named: target) {
                linkedID = existing.id
            } else {
                throw ReconError("link field '\(definition.name)' links to table '\(target)', which does not exist yet",
                                 hint: "create '\(target)' first, then add the link field")
            }
        }
        return RemoteField(
            id: id, name: definition.name, type: .declarable(definition.type), description: definition.description,
            choices: definition.choices, linkedTableID: linkedID, precision: kind == .number ? definition.precision ?? 0 : nil)
    }

    private func insertMetadata(_ field: RemoteField, tableID: String) throws {
        let insert = try connection.prepare("""
            INSERT INTO _recon_fields (id, table_id, name, type, description, choices, linked_table_id, precision, position)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM _recon_fields WHERE table_id = ?))
            """)
        try insert.bind(1, field.id)
        try insert.bind(2, tableID)
        try insert.bind(3, field.name)
        try insert.bind(4, field.type.description)
        try insert.bind(5, field.description)
        try insert.bind(6, field.choices.map(ColumnKind.encodeList))
        try insert.bind(7, field.linkedTableID)
        if let precision = field.precision { try insert.bind(8, precision) } else { try insert.bindNull(8) }
        try insert.bind(9, tableID)
        try insert.run()
    }

    /// Metadata left behind by a table dropped in another tool would block re-creating it.
    private func removeStaleMetadata(table name: String) throws {
        let fields = try connection.prepare("DELETE FROM _recon_fields WHERE table_id IN (SELECT id FROM _recon_tables WHERE name = ?)")
        try fields.bind(1, name)
        try fields.run()
        let tables = try connection.prepare("DELETE FROM _recon_tables WHERE name = ?")
        try tables.bind(1, name)
        try tables.run()
    }
}
