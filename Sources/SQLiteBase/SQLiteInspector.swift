import ReconCore
import Remote

/// Reads records back (refresh). Link cells are filtered to ids that still exist, as Airtable
/// shows them: deleting a record there removes it from every link cell that pointed at it.
struct SQLiteInspector {
    let connection: SQLiteConnection
    let schema: RemoteSchema

    func records(of table: RemoteTable) throws -> [RemoteRecord] {
        let columns = SQLiteColumns(table, undeclared: try SQLiteCatalog.undeclaredColumns(of: table, in: connection))
        var liveLinks: [String: Set<String>] = [:]
        for column in columns.columns where column.kind == .links {
            guard let linked = column.field.linkedTableID, liveLinks[linked] == nil else { continue }
            liveLinks[linked] = try ids(in: schema.table(id: linked))
        }
        let statement = try connection.prepare("SELECT \(columns.returning) FROM \(columns.quotedTable) ORDER BY rowid")
        defer { statement.reset() }
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
