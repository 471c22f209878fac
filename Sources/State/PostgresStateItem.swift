import Postgres

/// One row of `state_items`: which thing of the state it is, and the change that puts it (a
/// canonical journal line, so the one codec of journal lines serves both backends).
struct PostgresStateItem {
    enum Kind: String { case record, table, repo }

    var kind: Kind
    /// The table of a record; empty for tables and repos.
    var scope: String
    var name: String

    /// The row `change` puts, or nil for a removal.
    static func put(_ change: StateChange) -> PostgresStateItem? {
        switch change {
        case .putRecord(let table, let key, _): PostgresStateItem(kind: .record, scope: table, name: key)
        case .putTable(let name, _): PostgresStateItem(kind: .table, scope: "", name: name)
        case .putRepo(let name, _): PostgresStateItem(kind: .repo, scope: "", name: name)
        case .removeRecord, .removeTable: nil
        }
    }

    static func entry(_ change: StateChange, lineage: String) -> [UInt8] {
        JournalCodec.encode(JournalEntry(lineage: lineage, serial: 0, changes: [change]))
    }

    static func change(from entry: [UInt8]) throws(StateCodec.Failure) -> StateChange {
        let decoded = try JournalCodec.decode(entry[...])
        guard decoded.changes.count == 1 else { throw .shape(path: "changes", expected: "exactly one change") }
        return decoded.changes[0]
    }

    var key: [PGValue] { [.text(kind.rawValue), .bytes(Array(scope.utf8)), .bytes(Array(name.utf8))] }
}
