/// Cells from names that come in one fixed order other than sorted (a plan's field order, the key last): the sort
/// and the shared layout are worked out once and reused while each record's names are the last record's, byte for
/// byte, instead of a dictionary per record (issue 12). Repeated names get the dictionary's rules (`Builder`'s).
public struct FieldOrdering {
    private var names: [String] = []
    /// Positions in the given order, by sorted name (equal names in their own order).
    private var order: [Int] = []
    /// Nil when two of the names are equal: then each record goes through a `Builder`.
    private var layout: FieldLayout? = .empty

    public init() {}

    /// The cells of `names[i]` = `values[i]`, as a dictionary filled in this order would hold them.
    public mutating func cells(_ names: [String], _ values: [FieldValue]) -> FieldCells {
        if !FieldLayout.sameBytes(names, self.names) { learn(names) }
        guard let layout else {
            var builder = FieldCells.Builder(capacity: names.count)
            for index in order { builder.assign(names[index], values[index]) }
            return builder.cells()
        }
        var sorted: [FieldValue] = []
        sorted.reserveCapacity(order.count)
        for index in order { sorted.append(values[index]) }
        return FieldCells(layout: layout, values: sorted)
    }

    private mutating func learn(_ names: [String]) {
        self.names = names
        order = FieldCells.nameOrder(names)
        let sortedNames = order.map { names[$0] }
        let unique = zip(sortedNames, sortedNames.dropFirst()).allSatisfy { $0 < $1 }
        layout = unique ? FieldLayout.interned(sortedNames) : nil
    }
}
