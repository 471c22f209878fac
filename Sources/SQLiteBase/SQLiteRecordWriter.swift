import ReconCore
import Remote

/// Writes records, one transaction per batch: a failure anywhere rolls the whole batch back.
struct SQLiteRecordWriter {
    let connection: SQLiteConnection
    let schema: RemoteSchema
    let columns: SQLiteColumns

    private var table: RemoteTable { columns.table }
    private var quotedTable: String { columns.quotedTable }
    private static let idColumn = SQLiteColumns.quotedID

    init(connection: SQLiteConnection, schema: RemoteSchema, table: RemoteTable) throws {
        self.connection = connection
        self.schema = schema
        self.columns = SQLiteColumns(table, undeclared: try SQLiteCatalog.undeclaredColumns(of: table, in: connection))
    }

    func upsert(_ records: [[String: FieldValue]], mergeOn keyField: String) throws -> [UpsertedRecord] {
        let key = try column(keyField)
        guard key.kind == .text else {
            throw ReconError("cannot merge on field '\(keyField)' of table '\(table.name)': it holds \(key.field.type), not text")
        }
        try ensureLookupIndex(on: key)
        return try connection.transaction {
            let lookup = try connection.prepare("SELECT \(Self.idColumn) FROM \(quotedTable) WHERE \(key.quoted) = ? LIMIT 2")
            var results: [UpsertedRecord] = []
            results.reserveCapacity(records.count)
            for record in records {
                guard case .text(let keyValue)? = record[keyField]?.normalized else {
                    throw ReconError("a record for table '\(table.name)' has no value for its key field '\(keyField)'",
                                     hint: "every upserted record must carry its key; nothing in this batch was written")
                }
                lookup.reset()
                try lookup.bind(1, keyValue)
                var existing: [String] = []
                while try lookup.step() { existing.append(lookup.text(0) ?? "") }
                switch existing.count {
                case 0:
                    results.append(UpsertedRecord(record: try insert(record), created: true))
                case 1:
                    let cells = record.mapValues { Optional($0) }
                    let previous = try write([:], to: existing[0])
                    results.append(UpsertedRecord(record: try write(cells, to: existing[0])!, created: false, previous: previous))
                default:
                    throw ReconError(
                        "table '\(table.name)' holds more than one record with \(keyField) = '\(keyValue)' (\(existing.joined(separator: ", ")))",
                        hint: "delete or re-key the duplicates in '\(connection.path)', then plan again")
                }
            }
            return results
        }
    }

    /// The records whose `keyField` holds one of `keys`, by the same indexed lookup upsert uses.
    func records(keys: [String], keyField: String) throws -> [RemoteRecord] {
        guard let key = columns.column(keyField), key.kind == .text else { return [] }
        let lookup = try connection.prepare("SELECT \(columns.returning) FROM \(quotedTable) WHERE \(key.quoted) = ?")
        var found: [RemoteRecord] = []
        for value in Set(keys).sorted() {
            lookup.reset()
            try lookup.bind(1, value)
            while try lookup.step() { found.append(columns.record(from: lookup)) }
        }
        lookup.reset()
        return found
    }

    func update(_ updates: [RecordUpdate]) throws -> [RemoteRecord] {
        try connection.transaction {
            try updates.map { change in
                guard let record = try write(change.fields, to: change.id) else {
                    throw ReconError("record \(change.id) does not exist in table '\(table.name)'",
                                     hint: "it was deleted since the plan was made; run 'recon plan' again")
                }
                return record
            }
        }
    }

    func delete(_ ids: [String]) throws {
        try connection.transaction {
            let statement = try connection.prepare("DELETE FROM \(quotedTable) WHERE \(Self.idColumn) = ?")
            for id in ids {
                statement.reset()
                try statement.bind(1, id)
                try statement.run()
            }
        }
    }

    // MARK: Internals

    private func insert(_ record: [String: FieldValue]) throws -> RemoteRecord {
        let targets = try record.keys.sorted().map(column)
        let names = ([Self.idColumn] + targets.map(\.quoted)).joined(separator: ", ")
        let marks = Array(repeating: "?", count: targets.count + 1).joined(separator: ", ")
        let statement = try connection.prepare(
            "INSERT INTO \(quotedTable) (\(names)) VALUES (\(marks)) RETURNING \(columns.returning)")
        try statement.bind(1, RemoteID.record())
        for (offset, target) in targets.enumerated() {
            try bind(record[target.field.name], for: target, to: statement, at: Int32(offset + 2))
        }
        guard try statement.step() else { throw connection.failure(0, sql: statement.sql, message: "insert returned no row") }
        let stored = columns.record(from: statement)
        try statement.run()
        return stored
    }

    /// Writes the given cells of one record; nil when no record has that id.
    private func write(_ cells: [String: FieldValue?], to id: String) throws -> RemoteRecord? {
        let targets = try cells.keys.sorted().map(column)
        let sql: String
        if targets.isEmpty {
            sql = "SELECT \(columns.returning) FROM \(quotedTable) WHERE \(Self.idColumn) = ?"
        } else {
            let assignments = targets.map { "\($0.quoted) = ?" }.joined(separator: ", ")
            sql = "UPDATE \(quotedTable) SET \(assignments) WHERE \(Self.idColumn) = ? RETURNING \(columns.returning)"
        }
        let statement = try connection.prepare(sql)
        for (offset, target) in targets.enumerated() {
            try bind(cells[target.field.name] ?? nil, for: target, to: statement, at: Int32(offset + 1))
        }
        try statement.bind(Int32(targets.count + 1), id)
        guard try statement.step() else { return nil }
        let stored = columns.record(from: statement)
        try statement.run()
        return stored
    }

    private func bind(_ value: FieldValue?, for column: SQLiteColumns.Column, to statement: SQLiteStatement, at index: Int32) throws {
        if column.kind == .links, case .list(let ids)? = value?.normalized { try checkLinks(ids, of: column.field) }
        try column.kind.bind(value, to: statement, at: index, field: column.field.name, table: table.name)
    }

    /// Links must point at records that exist, as Airtable requires.
    private func checkLinks(_ ids: [String], of field: RemoteField) throws {
        guard let linked = field.linkedTableID.flatMap(schema.table(id:)) else {
            throw ReconError("link field '\(field.name)' of table '\(table.name)' points at a table that no longer exists")
        }
        let statement = try connection.prepare(
            "SELECT 1 FROM \(SQLIdentifier.quote(linked.name)) WHERE \(Self.idColumn) = ?")
        for id in ids {
            statement.reset()
            try statement.bind(1, id)
            guard try statement.step() else {
                throw ReconError("field '\(field.name)' of table '\(table.name)' links to \(id), which is not a record of table '\(linked.name)'",
                                 hint: "links are written as record ids of existing records; nothing in this batch was written")
            }
        }
        statement.reset()
    }

    private func column(_ name: String) throws -> SQLiteColumns.Column {
        guard let column = columns.column(name) else {
            throw ReconError("table '\(table.name)' has no field named '\(name)'",
                             hint: "create the field first (the plan's schema changes run before records)")
        }
        return column
    }

    /// Merging on a field other than the key needs an index too, or each lookup scans the table.
    private func ensureLookupIndex(on column: SQLiteColumns.Column) throws {
        guard column.field.id != table.primaryFieldID else { return }
        try connection.executeOne("""
            CREATE INDEX IF NOT EXISTS \(SQLIdentifier.quote("_recon_lookup_" + column.field.id)) \
            ON \(quotedTable) (\(column.quoted))
            """)
    }
}
