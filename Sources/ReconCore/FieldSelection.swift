/// Some of the names of one layout, chosen once and taken from every record of that layout slot by slot: a plan's
/// 100,000 creates each dropped their key from the `set` cells one name at a time, a new layout per record, then
/// looked that layout up again in the shared table (issue 12).
public struct FieldSelection: Sendable {
    /// The layout this selection takes from.
    public let source: FieldLayout
    /// The slots kept, ascending.
    private let slots: [Int]
    /// The kept names' own shared layout.
    private let layout: FieldLayout

    /// The names of `source` that `keep` accepts, in `source`'s (sorted) order.
    public init(of source: FieldLayout, keeping keep: (String) -> Bool) {
        self.source = source
        slots = source.names.indices.filter { keep(source.names[$0]) }
        layout = slots.count == source.names.count ? source : FieldLayout.interned(slots.map { source.names[$0] })
    }

    /// The cells of the chosen names: what removing every other name from `cells` and compacting them gives.
    /// `cells` must have the `source` layout.
    public func take(from cells: FieldCells) -> FieldCells {
        precondition(cells.layout === source, "a selection takes from cells of its own layout")
        if layout === source { return cells.compacted() }
        var values: [FieldValue] = []
        values.reserveCapacity(slots.count)
        for slot in slots { values.append(cells.values[slot]) }
        return FieldCells(layout: layout, values: values)
    }
}
