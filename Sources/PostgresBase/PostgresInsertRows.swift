import ReconCore
import Remote

/// The new records of one batch as the INSERT takes them, bound from their cells (issue 12): the columns are the
/// union of the records' fields in name order, and each record layout is resolved once to the slot every column
/// takes its value from, so no record becomes a dictionary and no cell is looked up by name.
struct PostgresInsertRows {
    /// A record layout resolved to the targets: `slots[t]` is the slot of `targets[t]`'s value, nil for none.
    private struct Shape {
        let layout: FieldLayout
        let slots: [Int?]
    }

    let targets: [PostgresColumns.Column]
    private let rows: [(id: String, cells: FieldCells)]
    /// The shape of each row, by index into `shapes`.
    private let shapeOfRow: [Int]
    private let shapes: [Shape]

    /// Records of one table share a few layouts, each the same object, so they are told apart by identity (held in
    /// `layouts` meanwhile, so no identity is reused); an equal layout that is another object is resolved again.
    init(_ rows: [(id: String, cells: FieldCells)], columns: PostgresColumns) throws {
        var layouts: [FieldLayout] = []
        var known: [ObjectIdentifier: Int] = [:]
        var shapeOfRow: [Int] = []
        shapeOfRow.reserveCapacity(rows.count)
        for row in rows {
            let layout = row.cells.layout
            if let index = known[ObjectIdentifier(layout)] {
                shapeOfRow.append(index)
            } else {
                known[ObjectIdentifier(layout)] = layouts.count
                shapeOfRow.append(layouts.count)
                layouts.append(layout)
            }
        }
        // As the dictionaries' keys were: the union by name, sorted; an unknown field refused in that order.
        let targets = try Set(layouts.flatMap(\.names)).sorted().map(columns.require)
        shapes = layouts.map { layout in Shape(layout: layout, slots: targets.map { layout.slot(of: $0.field.name) }) }
        self.targets = targets
        self.rows = rows
        self.shapeOfRow = shapeOfRow
    }

    /// The value of each row for `target`, where it has one.
    func values(of target: Int) -> some Sequence<FieldValue> {
        rows.indices.lazy.compactMap { index in shapes[shapeOfRow[index]].slots[target].map { rows[index].cells.values[$0] } }
    }

    /// The JSON array `PostgresColumns.recordset(targets)` reads: one object per row, the id and every target's cell.
    func json(table: String) throws -> String {
        var writer = JSONWriter(capacity: 256 * max(1, rows.count))
        writer.beginArray()
        for (index, row) in rows.enumerated() {
            let slots = shapes[shapeOfRow[index]].slots
            writer.beginObject()
            writer.key(PostgresCatalog.idColumn)
            writer.string(row.id)
            for (target, column) in targets.enumerated() {
                writer.key(column.field.name)
                try column.kind.write(slots[target].map { row.cells.values[$0] }, to: &writer, field: column.field.name, table: table)
            }
            writer.endObject()
        }
        writer.endArray()
        return String(decoding: writer.finish(), as: UTF8.self)
    }
}
