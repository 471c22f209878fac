/// One journal line: the changes of one applied batch, the lineage they belong to and the serial
/// the state reached with them. Compact canonical JSON, one line each, so a torn write can only
/// damage the last line.
public struct JournalEntry: Sendable, Equatable {
    public var lineage: String
    public var serial: Int
    public var changes: [StateChange]

    public init(lineage: String, serial: Int, changes: [StateChange]) {
        self.lineage = lineage
        self.serial = serial
        self.changes = changes
    }
}
