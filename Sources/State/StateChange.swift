/// One change to the state, as apply records it after a batch succeeds. Journal lines are lists
/// of these, so persisting a batch costs the size of the batch, not of the state.
public enum StateChange: Sendable, Equatable {
    case putRecord(table: String, key: String, record: ManagedRecord)
    case removeRecord(table: String, key: String)
    case putTable(name: String, table: TableState)
    case removeTable(name: String)
    case putRepo(name: String, repo: RepoState)
}

extension StateModel {
    public mutating func apply(_ change: StateChange) {
        switch change {
        case .putRecord(let table, let key, let record):
            records[table, default: [:]][key] = record
        case .removeRecord(let table, let key):
            records[table]?[key] = nil
            if records[table]?.isEmpty == true { records[table] = nil }
        case .putTable(let name, let table):
            tables[name] = table
        case .removeTable(let name):
            tables[name] = nil
            records[name] = nil
        case .putRepo(let name, let repo):
            repos[name] = repo
        }
    }

    public mutating func apply(_ changes: [StateChange]) {
        for change in changes { apply(change) }
    }

    /// How many records the state manages, across tables.
    public var recordCount: Int { records.values.reduce(0) { $0 + $1.count } }
}
