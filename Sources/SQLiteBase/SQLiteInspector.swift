import ReconCore
import Remote

/// Reads records back (refresh). Link cells are filtered to ids that still exist, as Airtable
/// shows them: deleting a record there removes it from every link cell that pointed at it.
struct SQLiteInspector {
    let connection: SQLiteConnection
    let schema: RemoteSchema

    func records(of table: RemoteTable) throws -> [RemoteRecord] {
        let kinds = table.fields.map { ColumnKind(typeName: $0.type) ?? .text }
        var liveLinks: [String: Set<String>] = [:]
        for field in table.fields where ColumnKind(typeName: field.type) == .links {
            guard let linked = field.linkedTableID, liveLinks[linked] == nil else { continue }
            liveLinks[linked] = try ids(in: schema.table(id: linked))
        }
        let columns = ([SQLiteCatalog.reservedColumn] + table.fields.map(\.name)).map(SQLIdentifier.quote)
        let statement = try connection.prepare(
            "SELECT \(columns.joined(separator: ", ")) FROM \(SQLIdentifier.quote(table.name)) ORDER BY rowid")
        defer { statement.reset() }
        var records: [RemoteRecord] = []
        while try statement.step() {
            var fields: [String: FieldValue] = [:]
            fields.reserveCapacity(table.fields.count)
            for (index, field) in table.fields.enumerated() {
                guard var value = kinds[index].read(statement, column: Int32(index + 1)) else { continue }
                if kinds[index] == .links, case .list(let ids) = value {
                    let live = liveLinks[field.linkedTableID ?? ""] ?? []
                    guard let kept = FieldValue.list(ids.filter(live.contains)).normalized else { continue }
                    value = kept
                }
                fields[field.name] = value
            }
            records.append(RemoteRecord(id: statement.text(0) ?? "", fields: fields))
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
