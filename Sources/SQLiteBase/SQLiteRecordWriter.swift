import ReconCore
import Remote

/// Writes records, one transaction per batch: a failure anywhere rolls the whole batch back.
/// Per row only the write itself runs: keys are looked up and links checked for the whole batch, statements are
/// prepared once per shape (the set of fields written), and a created row is not read back (`ColumnKind.stored`).
struct SQLiteRecordWriter {
    let connection: SQLiteConnection
    let schema: RemoteSchema
    let columns: SQLiteColumns
    /// Defaults or triggers may fill cells the write did not give: then each write reads its row back.
    private let readsBack: Bool
    /// This batch's statements by what they write, so no SQL is built per record.
    private let prepared = ShapeStatements()

    private var table: RemoteTable { columns.table }
    private var quotedTable: String { columns.quotedTable }
    private static let idColumn = SQLiteColumns.quotedID
    /// Keys per lookup; well under SQLite's parameter limit on every version.
    static let lookupChunk = 500

    init(connection: SQLiteConnection, schema: RemoteSchema, table: RemoteTable) throws {
        self.connection = connection
        self.schema = schema
        self.columns = SQLiteColumns(table, undeclared: try SQLiteCatalog.undeclaredColumns(of: table, in: connection))
        self.readsBack = try SQLiteCatalog.fillsCells(of: table, in: connection)
    }

    func upsert(_ records: [FieldCells], mergeOn keyField: String) throws -> [UpsertedRecord] {
        let key = try column(keyField)
        guard key.kind == .text else {
            throw ReconError("cannot merge on field '\(keyField)' of table '\(table.name)': it holds \(key.field.type), not text")
        }
        let keys = try records.map { record in
            guard case .text(let keyValue)? = record[keyField]?.normalized else {
                throw ReconError("a record for table '\(table.name)' has no value for its key field '\(keyField)'",
                                 hint: "every upserted record must carry its key; nothing in this batch was written")
            }
            return keyValue
        }
        try ensureLookupIndex(on: key)
        return try connection.transaction {
            var found = try lookup(keys, on: key)
            var results: [UpsertedRecord] = []
            results.reserveCapacity(records.count)
            var shapes: [InsertShape] = []
            for (record, keyValue) in zip(records, keys) {
                let existing = found[keyValue] ?? []
                switch existing.count {
                case 0:
                    let stored = try insert(record, shapes: &shapes)
                    found[keyValue] = [stored]
                    results.append(UpsertedRecord(record: stored, created: true))
                case 1:
                    let previous = existing[0]
                    let stored = try write(record.dictionary.mapValues { Optional($0) }, to: previous)!
                    found[keyValue] = [stored]
                    results.append(UpsertedRecord(record: stored, created: false, previous: previous))
                default:
                    throw ReconError(
                        "table '\(table.name)' holds more than one record with \(keyField) = '\(keyValue)' (\(existing.map(\.id).joined(separator: ", ")))",
                        hint: "delete or re-key the duplicates in '\(connection.path)', then plan again")
                }
            }
            try SQLiteLinkCheck(connection: connection, schema: schema, table: table).check(records, columns: columns) { $0[$1] }
            return results
        }
    }

    /// The records whose `keyField` holds one of `keys`, by the same indexed lookup upsert uses.
    func records(keys: [String], keyField: String) throws -> [RemoteRecord] {
        guard let key = columns.column(keyField), key.kind == .text else { return [] }
        let found = try lookup(Set(keys).sorted(), on: key)
        return Set(keys).sorted().flatMap { found[$0] ?? [] }
    }

    func update(_ updates: [RecordUpdate]) throws -> [RemoteRecord] {
        try connection.transaction {
            let written = try updates.map { change in
                guard let record = try write(change.fields, to: nil, id: change.id) else {
                    throw ReconError("record \(change.id) does not exist in table '\(table.name)'",
                                     hint: "it was deleted since the plan was made; run 'recon plan' again")
                }
                return record
            }
            try SQLiteLinkCheck(connection: connection, schema: schema, table: table).check(updates, columns: columns) { $0.fields[$1] ?? nil }
            return written
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

    /// The stored records under each key, a chunk of keys per query; the key read as the text it is stored as.
    private func lookup(_ keys: [String], on key: SQLiteColumns.Column) throws -> [String: [RemoteRecord]] {
        var found: [String: [RemoteRecord]] = [:]
        let distinct = Array(Set(keys))
        let keyIndex = Int32(columns.columns.count + 1)
        var start = 0
        while start < distinct.count {
            let part = distinct[start..<min(start + Self.lookupChunk, distinct.count)]
            let marks = Array(repeating: "?", count: part.count).joined(separator: ", ")
            let statement = try connection.prepare(
                "SELECT \(columns.returning), \(key.quoted) FROM \(quotedTable) WHERE \(key.quoted) IN (\(marks))")
            for (offset, value) in part.enumerated() { try statement.bind(Int32(offset + 1), value) }
            while try statement.step() {
                found[statement.text(keyIndex) ?? "", default: []].append(columns.record(from: statement))
            }
            statement.reset()
            start += part.count
        }
        return found
    }

    /// A record layout resolved to its insert once, for every record of the batch that shares it: the columns its
    /// cells go to in table order, the slot each takes its value from, and the statement.
    private struct InsertShape {
        let layout: FieldLayout
        let targets: [Int]
        let slots: [Int]
        let statement: SQLiteStatement
    }

    /// Layouts resolved per batch; past this many a record's layout is resolved each time (its statement stays cached).
    private static let shapesKept = 64

    private func insert(_ record: FieldCells, shapes: inout [InsertShape]) throws -> RemoteRecord {
        // Cells bound slot to slot: no dictionary, no name lookup per cell (issue 12). Records of one table share a
        // few layouts (a cell left empty drops out), each the same object, so they are told apart by identity.
        let shape: InsertShape
        if let known = shapes.first(where: { $0.layout === record.layout }) {
            shape = known
            shape.statement.reset()
        } else {
            shape = try insertShape(record.layout)
            if shapes.count < Self.shapesKept { shapes.append(shape) }
        }
        let statement = shape.statement
        let id = RemoteID.record()
        try statement.bind(1, id)
        // The record as written, changed only where a cell reads back otherwise.
        var fields = record
        for (offset, (index, slot)) in zip(shape.targets, shape.slots).enumerated() {
            let target = columns.columns[index]
            let value: FieldValue? = record.values[slot]
            try target.kind.bind(value, to: statement, at: Int32(offset + 2), field: target.field.name, table: table.name)
            let stored = target.kind.stored(value)
            if stored != value { fields[record.layout.names[slot]] = stored }
        }
        guard readsBack else {
            try statement.run()
            return RemoteRecord(id: id, fields: fields)
        }
        guard try statement.step() else { throw connection.failure(0, sql: statement.sql, message: "insert returned no row") }
        let stored = columns.record(from: statement)
        try statement.run()
        return stored
    }

    private func insertShape(_ layout: FieldLayout) throws -> InsertShape {
        var cells: [(index: Int, slot: Int)] = []
        cells.reserveCapacity(layout.names.count)
        for (slot, name) in layout.names.enumerated() {
            // The names are sorted: the first without a column is the one a sorted search names.
            guard let index = columns.index(of: name) else { throw unknownField(name: name) }
            cells.append((index, slot))
        }
        cells.sort { $0.index < $1.index }
        let targets = cells.map(\.index)
        let statement = try prepared.statement(.insert, targets, connection) {
            let names = ([Self.idColumn] + targets.map { columns.columns[$0].quoted }).joined(separator: ", ")
            let marks = Array(repeating: "?", count: targets.count + 1).joined(separator: ", ")
            return "INSERT INTO \(quotedTable) (\(names)) VALUES (\(marks))" + (readsBack ? " RETURNING \(columns.returning)" : "")
        }
        return InsertShape(layout: layout, targets: targets, slots: cells.map(\.slot), statement: statement)
    }

    /// Writes the given cells of one record; nil when no record has that id. With `previous` (the row as this
    /// transaction read it) the result is worked out from it instead of read back.
    private func write(_ cells: [String: FieldValue?], to previous: RemoteRecord?, id: String? = nil) throws -> RemoteRecord? {
        let id = previous?.id ?? id!
        let targets = try shape(of: cells.keys)
        let derive = previous != nil && !readsBack
        if targets.isEmpty, let previous { return previous }
        let statement = try prepared.statement(derive ? .update : .updateReturning, targets, connection) {
            guard !targets.isEmpty else { return "SELECT \(columns.returning) FROM \(quotedTable) WHERE \(Self.idColumn) = ?" }
            let assignments = targets.map { "\(columns.columns[$0].quoted) = ?" }.joined(separator: ", ")
            return "UPDATE \(quotedTable) SET \(assignments) WHERE \(Self.idColumn) = ?" + (derive ? "" : " RETURNING \(columns.returning)")
        }
        var fields = previous?.fields ?? [:]
        for (offset, index) in targets.enumerated() {
            let target = columns.columns[index]
            let value = cells[target.field.name] ?? nil
            try target.kind.bind(value, to: statement, at: Int32(offset + 1), field: target.field.name, table: table.name)
            fields[target.field.name] = target.kind.stored(value)
        }
        try statement.bind(Int32(targets.count + 1), id)
        if derive {
            try statement.run()
            return RemoteRecord(id: id, fields: fields)
        }
        guard try statement.step() else { return nil }
        let stored = columns.record(from: statement)
        try statement.run()
        return stored
    }

    /// The columns `names` write, in the table's order: one statement per shape, not per record.
    private func shape(of names: some Collection<String>) throws -> [Int] {
        var targets: [Int] = []
        targets.reserveCapacity(names.count)
        for name in names {
            guard let index = columns.index(of: name) else { throw unknownField(name: names.sorted().first { columns.index(of: $0) == nil }!) }
            targets.append(index)
        }
        return targets.sorted()
    }

    private func column(_ name: String) throws -> SQLiteColumns.Column {
        guard let column = columns.column(name) else { throw unknownField(name: name) }
        return column
    }

    private func unknownField(name: String) -> ReconError {
        ReconError("table '\(table.name)' has no field named '\(name)'",
                   hint: "create the field first (the plan's schema changes run before records)")
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
