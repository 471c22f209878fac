import Postgres
import ReconCore
import Remote

/// Reads records back (refresh, apply's preflight). Link cells are filtered to ids that still exist, as
/// Airtable shows them: deleting a record there removes it from every link cell that pointed at it.
struct PostgresRecordReader {
    let connection: PGConnection
    let catalog: PostgresCatalog
    let schema: RemoteSchema

    func records(of table: RemoteTable) throws -> [RemoteRecord] {
        try select(table, where: "", [])
    }

    func records(ids: [String], of table: RemoteTable) throws -> [RemoteRecord] {
        try select(table, where: "WHERE \(PostgresColumns.quotedID) = ANY($1::text[])", [.text(PostgresArray.literal(ids))])
    }

    /// By the same indexed key lookup upsert uses.
    func records(keys: [String], field: String, of table: RemoteTable) throws -> [RemoteRecord] {
        let columns = PostgresColumns(table, catalog: catalog)
        guard let key = columns.column(field), key.kind == .text else { return [] }
        return try select(table, where: "WHERE \(key.quoted) = ANY($1::text[])", [.text(PostgresArray.literal(keys))])
    }

    /// The rows of a table Recon did not create, each cell read by its column's type; ids are `ctid (p,n)`
    /// (row handles for messages: the rows have no record id yet).
    func foreignRecords(_ table: ForeignTable) throws -> [RemoteRecord] {
        guard !table.columns.isEmpty, let relation = try catalog.relations()[Array(table.name.utf8)] else { return [] }
        let kinds = relation.columns.map { PostgresColumnKind.reading(serverType: $0.type) }
        let list = zip(relation.columns, kinds).map { column, kind in kind.select(PGIdentifier.quote(column.name)) }
        let result = try connection.exec("SELECT ctid::text, \(list.joined(separator: ", ")) FROM \(catalog.table(table.name)) ORDER BY ctid")
        return result.rows.map { row in
            var fields = FieldCells.Builder(capacity: relation.columns.count)
            for (index, column) in relation.columns.enumerated() {
                if let value = kinds[index].read(row[index + 1]) { fields.append(column.name, value) }
            }
            return RemoteRecord(id: "ctid \(row[0] ?? "")", fields: fields.cells())
        }
    }

    // MARK: Internals

    private func select(_ table: RemoteTable, where condition: String, _ parameters: [PGValue]) throws -> [RemoteRecord] {
        let columns = PostgresColumns(table, catalog: catalog)
        var live: [String: Set<String>] = [:]
        for column in columns.columns where column.kind == .links {
            guard let linked = column.field.linkedTableID, live[linked] == nil else { continue }
            live[linked] = try ids(in: schema.table(id: linked))
        }
        let result = try connection.exec("""
            SELECT \(columns.returning) FROM \(columns.qualified) \(condition) ORDER BY \(PostgresColumns.quotedID)
            """, parameters)
        return result.rows.map { row in
            var record = columns.record(from: row)
            for column in columns.columns where column.kind == .links {
                guard case .list(let ids)? = record.fields[column.field.name] else { continue }
                let present = live[column.field.linkedTableID ?? ""] ?? []
                if ids.allSatisfy(present.contains) { continue }
                record.fields[column.field.name] = FieldValue.list(ids.filter(present.contains)).normalized
            }
            return record
        }
    }

    /// The record ids of a table; empty when the table is gone.
    private func ids(in table: RemoteTable?) throws -> Set<String> {
        guard let table else { return [] }
        return Set(try connection.exec("SELECT \(PostgresColumns.quotedID) FROM \(catalog.table(table.name))").rows.compactMap { $0[0] })
    }
}
