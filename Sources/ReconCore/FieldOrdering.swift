/// Cells from names that come in a fixed order other than sorted (a plan's field order, the key last): each shape's
/// sort and shared layout are worked out once and reused for every record whose names are the same, byte for byte,
/// instead of a dictionary per record (issue 12). A few shapes are kept, since records of one table alternate
/// between a handful (a checkbox left empty drops its cell). Repeated names get the dictionary's rules (`Builder`'s).
public struct FieldOrdering {
    private struct Shape {
        let names: [String]
        /// Positions in the given order, by sorted name (equal names in their own order).
        let order: [Int]
        /// Nil when two of the names are equal: then each record goes through a `Builder`.
        let layout: FieldLayout?
    }

    /// Shapes kept; a new one past this replaces the oldest, so memory stays bounded whatever the input.
    private var shapes = RecentShapes<Shape>(capacity: 16)

    public init() {}

    /// The cells of `names[i]` = `values[i]`, as a dictionary filled in this order would hold them.
    public mutating func cells(_ names: [String], _ values: [FieldValue]) -> FieldCells {
        let shape = self.shape(names)
        guard let layout = shape.layout else {
            var builder = FieldCells.Builder(capacity: names.count)
            for index in shape.order { builder.assign(names[index], values[index]) }
            return builder.cells()
        }
        var sorted: [FieldValue] = []
        sorted.reserveCapacity(shape.order.count)
        for index in shape.order { sorted.append(values[index]) }
        return FieldCells(layout: layout, values: sorted)
    }

    private mutating func shape(_ names: [String]) -> Shape {
        shapes.shape(matching: { FieldLayout.sameBytes($0.names, names) }) {
            let order = FieldCells.nameOrder(names)
            let sortedNames = order.map { names[$0] }
            let unique = zip(sortedNames, sortedNames.dropFirst()).allSatisfy { $0 < $1 }
            return Shape(names: names, order: order, layout: unique ? FieldLayout.interned(sortedNames) : nil)
        }
    }
}
