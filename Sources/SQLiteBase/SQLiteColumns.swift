import ReconCore
import Remote

/// A table's columns worked out once per call rather than once per record: each field's kind
/// and quoted name, and the column list every write returns.
struct SQLiteColumns {
    /// A class, not a struct: each cell written takes its column, and copying a field's strings per cell was
    /// a tenth of the writer's time at 100k creates.
    final class Column: Sendable {
        let field: RemoteField
        let kind: ColumnKind
        let quoted: String

        init(field: RemoteField, kind: ColumnKind, quoted: String) {
            self.field = field
            self.kind = kind
            self.quoted = quoted
        }
    }

    let table: RemoteTable
    let quotedTable: String
    /// In the table's field order, which is the order `returning` lists them.
    let columns: [Column]
    private let byName: [String: Int]
    /// The column indices in name order, so a read row's cells go into the compact form in order.
    private let nameOrder: [Int]
    /// `"_recon_id", "Field", ...`.
    let returning: String

    static let quotedID = SQLIdentifier.quote(SQLiteCatalog.reservedColumn)

    /// `undeclared`: columns of the SQL table the metadata does not describe; they come last, untyped.
    init(_ table: RemoteTable, undeclared: [String] = []) {
        self.table = table
        quotedTable = SQLIdentifier.quote(table.name)
        columns = table.fields.map { Column(field: $0, kind: ColumnKind(type: $0.type) ?? .text, quoted: SQLIdentifier.quote($0.name)) }
            + undeclared.map { Column(field: RemoteField(id: "", name: $0, type: ""), kind: .untyped, quoted: SQLIdentifier.quote($0)) }
        byName = Dictionary(columns.enumerated().map { ($1.field.name, $0) }, uniquingKeysWith: { first, _ in first })
        returning = ([SQLiteColumns.quotedID] + columns.map(\.quoted)).joined(separator: ", ")
        nameOrder = FieldCells.nameOrder(columns.map(\.field.name))
    }

    func column(_ name: String) -> Column? { byName[name].map { columns[$0] } }

    /// The position of `name` in `columns`.
    func index(of name: String) -> Int? { byName[name] }

    /// Decodes a row selected with `returning`. The cells are gathered first so the dictionary is sized for the
    /// cells that hold a value, not for every column: one more slot than 12 doubles it (a refresh holds 100,000).
    func record(from statement: SQLiteStatement) -> RemoteRecord {
        var none: ValueInterner?
        return record(from: statement, interner: &none)
    }

    /// `record(from:)`, repeated lists (tags, a link to a plugin) sharing one storage; texts are left to the caller's
    /// sharing (`readRecords(in:sharing:)`), which finds them in the state for less than hashing each one.
    func record(from statement: SQLiteStatement, interner: inout ValueInterner?) -> RemoteRecord {
        var cells = FieldCells.Builder(capacity: columns.count)
        for index in nameOrder {
            let column = columns[index]
            guard let value = column.kind.read(statement, column: Int32(index + 1)) else { continue }
            if case .list(let items) = value, interner != nil {
                cells.append(column.field.name, .list(interner!.list(items)))
            } else {
                cells.append(column.field.name, value)
            }
        }
        return RemoteRecord(id: statement.text(0) ?? "", fields: cells.cells())
    }
}
