import Postgres
import ReconCore

/// The per-batch log of a PostgreSQL state: each `append` is one transaction that upserts or deletes
/// the batch's rows and moves the head's serial, so it costs O(batch) and a killed process loses at
/// most the batch in flight (its transaction dies with its connection).
public final class PostgresStateLog: StateBatchLog {
    private let store: PostgresStateStore
    private var connection: PGConnection?
    /// The run's outcomes and ledger, written in each batch's transaction so they commit with its rows.
    public var companion: PostgresRunJournal?

    init(store: PostgresStateStore, connection: PGConnection) {
        self.store = store
        self.connection = connection
    }

    public func append(_ changes: [StateChange], to state: inout StateModel) throws {
        guard let connection else { throw ReconError("the state log for \(store.location) is closed") }
        let schema = store.schema
        let next = state.serial + 1
        var staged = false
        do {
            try connection.transaction {
                try store.markWrite(on: connection)
                // The head row, locked: a state that moved on (another writer, a restore) is never built upon.
                guard let head = try store.head(on: connection, locking: true), head.lineage == state.lineage, head.serial == state.serial else {
                    throw ReconError("the state in \(store.location) changed while this run was applying",
                                     hint: "another run wrote it; run 'recon plan' to see what is left")
                }
                var puts: [(PostgresStateItem, StateChange)] = []
                func flush() throws {
                    try store.insert(Self.lastPerRow(puts), lineage: state.lineage, on: connection)
                    puts = []
                }
                for change in changes {
                    switch change {
                    case .putRecord, .putTable, .putRepo:
                        puts.append((PostgresStateItem.put(change)!, change))
                    case .removeRecord(let table, let key):
                        try flush()
                        let item = PostgresStateItem(kind: .record, scope: table, name: key)
                        try connection.exec("DELETE FROM \(schema.items) WHERE target = $1 AND kind = $2 AND scope = $3 AND name = $4",
                                            [.text(store.target)] + item.key)
                    case .removeTable(let name):
                        try flush()
                        try connection.exec("""
                            DELETE FROM \(schema.items) WHERE target = $1 AND ((kind = 'table' AND name = $2) OR (kind = 'record' AND scope = $2))
                            """, [.text(store.target), .bytes(Array(name.utf8))])
                    }
                }
                try flush()
                var moved = state
                moved.serial = next
                try store.setHead(moved, on: connection)
                if let companion {
                    try companion.write(on: connection)
                    staged = true
                }
            }
        } catch {
            if staged { companion?.abandoned() }
            throw error
        }
        if staged { companion?.committed() }
        state.apply(changes)
        state.serial = next
    }

    public func close() {
        connection?.close()
        connection = nil
    }

    /// One multi-row upsert may not touch a row twice; the last put of a row wins, as in `StateModel.apply`.
    private static func lastPerRow(_ puts: [(PostgresStateItem, StateChange)]) -> [(PostgresStateItem, StateChange)] {
        var index: [String: Int] = [:]
        var kept: [(PostgresStateItem, StateChange)] = []
        for put in puts {
            let id = "\(put.0.kind.rawValue)\u{0}\(put.0.scope)\u{0}\(put.0.name)"
            if let at = index[id] { kept[at] = put } else { index[id] = kept.count; kept.append(put) }
        }
        return kept
    }
}
