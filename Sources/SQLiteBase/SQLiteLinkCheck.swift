import ReconCore
import Remote

/// Links must point at records that exist, as Airtable requires. Checked once per batch: every id a batch
/// links to, per linked table, in a few `IN (…)` lookups instead of one query per cell.
struct SQLiteLinkCheck {
    let connection: SQLiteConnection
    let schema: RemoteSchema
    let table: RemoteTable

    /// Ids per lookup; well under SQLite's parameter limit on every version.
    static let chunk = 500

    /// `cell` gives a record's value of a field by name; `columns` says which fields are links.
    func check<Record>(_ records: [Record], columns: SQLiteColumns, cell: (Record, String) -> FieldValue?) throws {
        let links = columns.columns.filter { $0.kind == .links }
        guard !links.isEmpty else { return }
        for column in links {
            var wanted: [String] = []
            var seen: Set<String> = []
            for record in records {
                guard case .list(let ids)? = cell(record, column.field.name)?.normalized else { continue }
                for id in ids where seen.insert(id).inserted { wanted.append(id) }
            }
            guard !wanted.isEmpty else { continue }
            guard let linked = column.field.linkedTableID.flatMap(schema.table(id:)) else {
                throw ReconError("link field '\(column.field.name)' of table '\(table.name)' points at a table that no longer exists")
            }
            let found = try existing(wanted, in: linked)
            if let missing = wanted.first(where: { !found.contains($0) }) {
                throw ReconError("field '\(column.field.name)' of table '\(table.name)' links to \(missing), which is not a record of table '\(linked.name)'",
                                 hint: "links are written as record ids of existing records; nothing in this batch was written")
            }
        }
    }

    private func existing(_ ids: [String], in linked: RemoteTable) throws -> Set<String> {
        var found: Set<String> = []
        var start = 0
        while start < ids.count {
            let part = ids[start..<min(start + Self.chunk, ids.count)]
            let marks = Array(repeating: "?", count: part.count).joined(separator: ", ")
            let statement = try connection.prepare(
                "SELECT \(SQLiteColumns.quotedID) FROM \(SQLIdentifier.quote(linked.name)) WHERE \(SQLiteColumns.quotedID) IN (\(marks))")
            for (offset, id) in part.enumerated() { try statement.bind(Int32(offset + 1), id) }
            while try statement.step() { if let id = statement.text(0) { found.insert(id) } }
            statement.reset()
            start += part.count
        }
        return found
    }
}
