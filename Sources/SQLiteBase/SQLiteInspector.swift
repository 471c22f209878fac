import ReconCore
import Remote

/// Reads records back (refresh). Link cells are filtered to ids that still exist, as Airtable
/// shows them: deleting a record there removes it from every link cell that pointed at it.
struct SQLiteInspector {
    let connection: SQLiteConnection
    let schema: RemoteSchema

    func records(of table: RemoteTable) throws -> [RemoteRecord] {
        try records(of: table, keys: nil)
    }

    /// The whole table, each row handed to `sharing` as it is read (`RecordReading.readRecords(in:sharing:)`), and
    /// repeated values read once.
    func records(of table: RemoteTable, sharing: (inout RemoteRecord) -> Void) throws -> [RemoteRecord] {
        try records(of: table, keys: nil, interning: true, sharing: sharing)
    }

    /// With `keys`, only the rows whose text column `field` holds one of `keys.values` or whose id is one of `keys.ids`,
    /// each read as the whole table's read reads it (links filtered alike, in rowid order): a delta refresh (issue 12).
    func records(of table: RemoteTable, keys: (field: String, values: [String], ids: [String])?,
                 interning: Bool = false, sharing: (inout RemoteRecord) -> Void = { _ in }) throws -> [RemoteRecord] {
        let columns = SQLiteColumns(table, undeclared: try SQLiteCatalog.undeclaredColumns(of: table, in: connection))
        var filter = ""
        var binds: [String] = []
        if let keys {
            let list = { (values: [String]) in JSONValue.array(values.map { .string($0) }).canonicalString() }
            var terms = ["\(SQLiteColumns.quotedID) IN (SELECT value FROM json_each(?))"]
            binds.append(list(keys.ids))
            if let key = columns.column(keys.field), key.kind == .text {
                terms.append("\(key.quoted) IN (SELECT value FROM json_each(?))")
                binds.append(list(keys.values))
            }
            filter = " WHERE " + terms.joined(separator: " OR ")
        }
        let statement = try connection.prepare("SELECT \(columns.returning) FROM \(columns.quotedTable)\(filter) ORDER BY rowid")
        defer { statement.reset() }
        for (index, text) in binds.enumerated() { try statement.bind(Int32(index + 1), text) }
        var records: [RemoteRecord] = []
        var interner = interning ? ValueInterner() : nil
        while try statement.step() {
            var record = columns.record(from: statement, interner: &interner)
            sharing(&record)
            records.append(record)
        }
        let linkColumns = columns.columns.filter { $0.kind == .links }
        guard !linkColumns.isEmpty, !records.isEmpty else { return records }
        // A whole-table read takes every id of a linked table; a keyed read asks only for the ids its rows link to.
        var liveLinks: [String: Set<String>] = [:]
        for column in linkColumns {
            guard let linked = column.field.linkedTableID, liveLinks[linked] == nil else { continue }
            if keys == nil {
                liveLinks[linked] = try ids(in: schema.table(id: linked))
            } else {
                var wanted = Set<String>()
                for other in linkColumns where other.field.linkedTableID == linked {
                    for record in records { if case .list(let ids)? = record.fields[other.field.name] { wanted.formUnion(ids) } }
                }
                liveLinks[linked] = try ids(in: schema.table(id: linked), among: wanted)
            }
        }
        for index in records.indices {
            for column in linkColumns {
                guard case .list(let ids)? = records[index].fields[column.field.name] else { continue }
                let live = liveLinks[column.field.linkedTableID ?? ""] ?? []
                if ids.allSatisfy(live.contains) { continue }
                records[index].fields[column.field.name] = FieldValue.list(ids.filter(live.contains)).normalized
            }
        }
        return records
    }

    /// The record ids of a table; empty when the table is gone.
    func ids(in table: RemoteTable?) throws -> Set<String> {
        guard let table else { return [] }
        let statement = try connection.prepare(
            "SELECT \(SQLIdentifier.quote(SQLiteCatalog.reservedColumn)) FROM \(SQLIdentifier.quote(table.name))")
        var ids = Set<String>()
        while try statement.step() { if let id = statement.text(0) { ids.insert(id) } }
        return ids
    }

    /// Which of `wanted` are record ids of a table; empty when the table is gone. SQL compares bytes and a Swift set
    /// canonical equivalence (`"\u{212A}"` is `"K"`): when one is not found bytewise, the whole table's ids answer, as
    /// the whole read's would.
    func ids(in table: RemoteTable?, among wanted: Set<String>) throws -> Set<String> {
        guard let table, !wanted.isEmpty else { return [] }
        let statement = try connection.prepare(
            "SELECT \(SQLIdentifier.quote(SQLiteCatalog.reservedColumn)) FROM \(SQLIdentifier.quote(table.name))"
                + " WHERE \(SQLIdentifier.quote(SQLiteCatalog.reservedColumn)) IN (SELECT value FROM json_each(?))")
        defer { statement.reset() }
        try statement.bind(1, JSONValue.array(wanted.sorted().map { .string($0) }).canonicalString())
        var found = Set<String>()
        while try statement.step() { if let id = statement.text(0), wanted.contains(id) { found.insert(id) } }
        return found.count == wanted.count ? found : try ids(in: table)
    }
}
