import Postgres
import ReconCore
import Remote

/// A table's columns worked out once per call rather than once per record: each field's kind and quoted
/// name, the select list every read and write returns, and the JSON rows writes send.
struct PostgresColumns {
    struct Column {
        let field: RemoteField
        let kind: PostgresColumnKind
        let quoted: String
    }

    let table: RemoteTable
    /// `schema."Table"`.
    let qualified: String
    let columns: [Column]
    private let byName: [String: Int]
    /// The column indices in name order, so a read row's cells go into the compact form in order.
    private let nameOrder: [Int]
    /// `"_recon_id", "A"::text, array_to_json("B")::text, ...`, for `SELECT` and `RETURNING`.
    let returning: String

    static let quotedID = PGIdentifier.quote(PostgresCatalog.idColumn)

    init(_ table: RemoteTable, catalog: PostgresCatalog) {
        self.table = table
        qualified = catalog.table(table.name)
        columns = table.fields.map { field in
            let kind = field.type.declarable.map { PostgresColumnKind(type: $0, precision: field.precision) } ?? .other
            return Column(field: field, kind: kind, quoted: PGIdentifier.quote(field.name))
        }
        byName = Dictionary(columns.enumerated().map { ($1.field.name, $0) }, uniquingKeysWith: { first, _ in first })
        returning = ([Self.quotedID] + columns.map { $0.kind.select($0.quoted) }).joined(separator: ", ")
        nameOrder = FieldCells.nameOrder(columns.map(\.field.name))
    }

    /// `returning` with every column qualified by `alias`, for an UPDATE … FROM whose `v` has the same names.
    func returning(alias: String) -> String {
        (["\(alias).\(Self.quotedID)"] + columns.map { $0.kind.select("\(alias).\($0.quoted)") }).joined(separator: ", ")
    }

    func column(_ name: String) -> Column? { byName[name].map { columns[$0] } }

    /// The column named `name`, or an error saying the field must be created first.
    func require(_ name: String) throws -> Column {
        guard let column = column(name) else {
            throw ReconError("table '\(ControlEscape.escaped(table.name))' has no field named '\(ControlEscape.escaped(name))'",
                             hint: "create the field first (the plan's schema changes run before records)")
        }
        return column
    }

    /// Decodes a row selected with `returning`, the dictionary sized for the cells with a value (as SQLite's).
    func record(from row: [String?]) -> RemoteRecord {
        var cells = FieldCells.Builder(capacity: columns.count)
        for index in nameOrder {
            let column = columns[index]
            if let value = column.kind.read(row[index + 1]) { cells.append(column.field.name, value) }
        }
        return RemoteRecord(id: row[0] ?? "", fields: cells.cells())
    }

    /// `json_to_recordset($1::json) AS v("_recon_id" text, "A" numeric(1000, 2), ...)`: the rows of one batch
    /// as one parameter, typed by the columns' kinds, so a batch of any size is one statement and no value is
    /// ever SQL text.
    func recordset(_ targets: [Column]) -> String {
        let definitions = ["\(Self.quotedID) text"] + targets.map { "\($0.quoted) \($0.kind.sqlType)" }
        return "json_to_recordset($1::json) AS v(\(definitions.joined(separator: ", ")))"
    }

    /// The JSON array `recordset` reads: one object per row, the id and the `targets`' cells.
    func rows(_ rows: [(id: String, cells: [String: FieldValue?])], targets: [Column]) throws -> String {
        var writer = JSONWriter(capacity: 256 * max(1, rows.count))
        writer.beginArray()
        for row in rows {
            writer.beginObject()
            writer.key(PostgresCatalog.idColumn)
            writer.string(row.id)
            for target in targets {
                writer.key(target.field.name)
                try target.kind.write(row.cells[target.field.name] ?? nil, to: &writer, field: target.field.name, table: table.name)
            }
            writer.endObject()
        }
        writer.endArray()
        return String(decoding: writer.finish(), as: UTF8.self)
    }
}
