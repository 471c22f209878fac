/// A table the base holds under a name Recon's metadata does not describe (SQLite: made by another tool).
/// Recon never writes it; the planner says what it would take to use it.
public struct ForeignTable: Hashable, Sendable {
    public var name: String
    /// Its column names, in order.
    public var columns: [String]

    public init(name: String, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}
