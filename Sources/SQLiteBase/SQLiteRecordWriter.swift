import ReconCore
import Remote

/// Writes records, one transaction per batch: a failure anywhere rolls the whole batch back.
struct SQLiteRecordWriter {
    let connection: SQLiteConnection
    let schema: RemoteSchema
    let table: RemoteTable

    private var quotedTable: String { SQLIdentifier.quote(table.name) }
    private static let idColumn = SQLIdentifier.quote(SQLiteCatalog.reservedColumn)

    func upsert(_ records: [[String: FieldValue]], mergeOn keyField: String) throws -> [UpsertedRecord] {
        let key = try field(named: keyField)
        guard ColumnKind(typeName: key.type) == .text else {
            throw ReconError("cannot merge on field '\(keyField)' of table '\(table.name)': it holds \(key.type), not text")
        }
        try ensureLookupIndex(on: key)
        return try connection.transaction {
            let lookup = try connection.prepare(
                "SELECT \(Self.idColumn) FROM \(quotedTable) WHERE \(SQLIdentifier.quote(keyField)) = ? LIMIT 2")
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
                    let fields = record.mapValues { Optional($0) }
                    results.append(UpsertedRecord(record: try write(fields, to: existing[0])!, created: false))
                default:
                    throw ReconError(
                        "table '\(table.name)' holds more than one record with \(keyField) = '\(keyValue)' (\(existing.joined(separator: ", ")))",
                        hint: "delete or re-key the duplicates in '\(connection.path)', then plan again")
                }
            }
            return results
        }
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
        let names = record.keys.sorted()
        let fields = try names.map(field(named:))
        let columns = [Self.idColumn] + names.map(SQLIdentifier.quote)
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let statement = try connection.prepare(
            "INSERT INTO \(quotedTable) (\(columns.joined(separator: ", "))) VALUES (\(marks)) RETURNING \(returning)")
        try statement.bind(1, RemoteID.record())
        for (offset, field) in fields.enumerated() {
            try bind(record[field.name], for: field, to: statement, at: Int32(offset + 2))
        }
        guard try statement.step() else { throw connection.failure(0, sql: statement.sql, message: "insert returned no row") }
        let stored = row(statement)
        try statement.run()
        return stored
    }

    /// Writes the given cells of one record; nil when no record has that id.
    private func write(_ cells: [String: FieldValue?], to id: String) throws -> RemoteRecord? {
        let names = cells.keys.sorted()
        let fields = try names.map(field(named:))
        let sql: String
        if names.isEmpty {
            sql = "SELECT \(returning) FROM \(quotedTable) WHERE \(Self.idColumn) = ?"
        } else {
            let assignments = names.map { "\(SQLIdentifier.quote($0)) = ?" }.joined(separator: ", ")
            sql = "UPDATE \(quotedTable) SET \(assignments) WHERE \(Self.idColumn) = ? RETURNING \(returning)"
        }
        let statement = try connection.prepare(sql)
        for (offset, field) in fields.enumerated() {
            try bind(cells[field.name] ?? nil, for: field, to: statement, at: Int32(offset + 1))
        }
        try statement.bind(Int32(names.count + 1), id)
        guard try statement.step() else { return nil }
        let stored = row(statement)
        try statement.run()
        return stored
    }

    private func bind(_ value: FieldValue?, for field: RemoteField, to statement: SQLiteStatement, at index: Int32) throws {
        let kind = ColumnKind(typeName: field.type) ?? .text
        if kind == .links, case .list(let ids)? = value?.normalized { try checkLinks(ids, of: field) }
        try kind.bind(value, to: statement, at: index, field: field.name, table: table.name)
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

    private func field(named name: String) throws -> RemoteField {
        guard let field = table.field(named: name) else {
            throw ReconError("table '\(table.name)' has no field named '\(name)'",
                             hint: "create the field first (the plan's schema changes run before records)")
        }
        return field
    }

    private var returning: String {
        ([Self.idColumn] + table.fields.map { SQLIdentifier.quote($0.name) }).joined(separator: ", ")
    }

    private func row(_ statement: SQLiteStatement) -> RemoteRecord {
        var fields: [String: FieldValue] = [:]
        for (index, field) in table.fields.enumerated() {
            let kind = ColumnKind(typeName: field.type) ?? .text
            if let value = kind.read(statement, column: Int32(index + 1)) { fields[field.name] = value }
        }
        return RemoteRecord(id: statement.text(0) ?? "", fields: fields)
    }

    /// Merging on a field other than the key needs an index too, or each lookup scans the table.
    private func ensureLookupIndex(on field: RemoteField) throws {
        guard field.id != table.primaryFieldID else { return }
        try connection.execute("""
            CREATE INDEX IF NOT EXISTS \(SQLIdentifier.quote("_recon_lookup_" + field.id)) \
            ON \(quotedTable) (\(SQLIdentifier.quote(field.name)))
            """)
    }
}
