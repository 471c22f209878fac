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

    /// With `keys`, only the rows whose text column `field` holds one of `keys.values` or whose id is one of `keys.ids`,
    /// each read as the whole table's read reads it (links filtered alike, in rowid order): a delta refresh (issue 12).
    func records(of table: RemoteTable, keys: (field: String, values: [String], ids: [String])?) throws -> [RemoteRecord] {
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
        var liveLinks: [String: Set<String>] = [:]
        for column in columns.columns where column.kind == .links {
            guard let linked = column.field.linkedTableID, liveLinks[linked] == nil else { continue }
            liveLinks[linked] = try ids(in: schema.table(id: linked))
        }
        let statement = try connection.prepare("SELECT \(columns.returning) FROM \(columns.quotedTable)\(filter) ORDER BY rowid")
        defer { statement.reset() }
        for (index, text) in binds.enumerated() { try statement.bind(Int32(index + 1), text) }
        var records: [RemoteRecord] = []
        while try statement.step() {
            var record = columns.record(from: statement)
            for column in columns.columns where column.kind == .links {
                guard case .list(let ids)? = record.fields[column.field.name] else { continue }
                let live = liveLinks[column.field.linkedTableID ?? ""] ?? []
                if ids.allSatisfy(live.contains) { continue }
                record.fields[column.field.name] = FieldValue.list(ids.filter(live.contains)).normalized
            }
            records.append(record)
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
}
