/// The cells of records a reader may already hold another copy of (the state's, by table and key), so a reader of a
/// second copy keeps one storage for what is the same bytes (`FieldCells.sharingStorage`; issue 12, goal 5).
public struct HeldCells: Sendable {
    private let lookup: @Sendable (_ table: String, _ key: String) -> FieldCells?

    public init(_ lookup: @escaping @Sendable (_ table: String, _ key: String) -> FieldCells?) {
        self.lookup = lookup
    }

    /// `cells`, sharing the storage of the held copy of `table`/`key` where it is the same bytes.
    public func sharing(_ cells: FieldCells, table: String, key: String) -> FieldCells {
        lookup(table, key).map { cells.sharingStorage(with: $0) } ?? cells
    }
}
