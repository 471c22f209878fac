import Postgres

/// The no-op seals of a target whose state is in PostgreSQL (issue 12): a row of `state_seals` per target, kind and
/// scope, beside the state they vouch for, so every checkout (a CI runner with an empty `state/`) reads the same
/// one. Whoever can write the row can already write the state rows. Any error reads as "no seal" and a seal that
/// cannot be written costs only the next run its fast path, so none of these throw. One connection, opened on use.
public final class PostgresSealStore {
    /// Only whole-scope runs are sealed.
    static let scope = "all"

    private let store: PostgresStateStore
    private var opened: PGConnection?

    public init(_ store: PostgresStateStore) {
        self.store = store
    }

    private func connection() throws -> PGConnection {
        if let opened { return opened }
        let connection = try store.connect()
        opened = connection
        return connection
    }

    /// The state version now (`PostgresStateMarks`): it moves with every write to the target's state rows.
    public func stateVersion() -> String? {
        try? PostgresStateMarks(schema: store.schema).version(target: store.target, on: connection())
    }

    public func read(kind: String) -> [UInt8]? {
        guard let rows = try? connection().exec("SELECT seal FROM \(store.schema.seals) WHERE target = $1 AND kind = $2 AND scope = $3",
                                                [.text(store.target), .text(kind), .text(Self.scope)]),
              !rows.rows.isEmpty else { return nil }
        return rows.bytes(0, 0)
    }

    public func write(kind: String, bytes: [UInt8]) {
        _ = try? connection().exec("""
            INSERT INTO \(store.schema.seals) (target, kind, scope, seal) VALUES ($1, $2, $3, $4)
            ON CONFLICT (target, kind, scope) DO UPDATE SET seal = excluded.seal
            """, [.text(store.target), .text(kind), .text(Self.scope), .bytes(bytes)])
    }

    public func remove(kind: String) {
        _ = try? connection().exec("DELETE FROM \(store.schema.seals) WHERE target = $1 AND kind = $2 AND scope = $3",
                                   [.text(store.target), .text(kind), .text(Self.scope)])
    }
}
