import ReconCore

/// A table the base holds under a name Recon's metadata does not describe (SQLite: made by another tool).
/// The planner adopts it when it fits the manifests, and otherwise says what does not fit.
public struct ForeignTable: Hashable, Sendable {
    public var name: String
    /// Its column names, in order.
    public var columns: [String]
    /// Column name → the field types its declared type can hold (SQLite: by affinity); a column not listed holds none.
    public var holds: [String: Set<FieldType.Name>]
    /// Why the table cannot be adopted whatever the manifests say (a virtual or WITHOUT ROWID table); nil: it can.
    public var unadoptable: String?

    public init(name: String, columns: [String], holds: [String: Set<FieldType.Name>] = [:], unadoptable: String? = nil) {
        self.name = name
        self.columns = columns
        self.holds = holds
        self.unadoptable = unadoptable
    }
}
