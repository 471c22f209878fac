import Postgres
import ReconCore

/// The PostgreSQL tables of the state, in one schema (default `recon`), every row keyed by target id
/// so two targets never share rows:
///
/// - `state_heads`: one row per target: lineage, serial, format version.
/// - `state_items`: the current state, ONE ROW PER RECORD (and per table, per repo), holding the
///   change that puts it as one canonical journal line, so a batch costs its own rows.
/// - `state_versions`: history, serial → the canonical state JSON, pruned like the local history.
/// - `state_locks`: the lease of the target's current holder (see `PostgresStateLock`).
struct PostgresStateSchema: Sendable {
    let schema: String

    init(schema: String) throws {
        if let problem = PGIdentifier.problem(with: schema) {
            throw ReconError("the state schema name '\(schema)' \(problem)", hint: "choose another 'schema' for the PostgreSQL state")
        }
        self.schema = schema
    }

    var heads: String { table("state_heads") }
    var items: String { table("state_items") }
    var versions: String { table("state_versions") }
    var locks: String { table("state_locks") }

    private func table(_ name: String) -> String { "\(PGIdentifier.quote(schema)).\(PGIdentifier.quote(name))" }

    /// Creates what is missing, in one transaction; harmless when all exists.
    func create(on connection: PGConnection) throws {
        try connection.transaction {
            // Two first runs at once would race on CREATE ... IF NOT EXISTS (it is not atomic in PostgreSQL).
            try connection.exec("SELECT pg_advisory_xact_lock(hashtext($1))", [.text("recon state schema " + schema)])
            try connection.exec("CREATE SCHEMA IF NOT EXISTS \(PGIdentifier.quote(schema))")
            try connection.exec("""
                CREATE TABLE IF NOT EXISTS \(heads) (target text PRIMARY KEY, lineage text NOT NULL,
                  serial bigint NOT NULL, format integer NOT NULL, updated timestamptz NOT NULL DEFAULT now())
                """)
            try connection.exec("""
                CREATE TABLE IF NOT EXISTS \(items) (target text NOT NULL, kind text NOT NULL, scope bytea NOT NULL,
                  name bytea NOT NULL, entry bytea NOT NULL, PRIMARY KEY (target, kind, scope, name))
                """)
            try connection.exec("""
                CREATE TABLE IF NOT EXISTS \(versions) (target text NOT NULL, serial bigint NOT NULL,
                  created timestamptz NOT NULL, stamp text NOT NULL, state bytea NOT NULL, PRIMARY KEY (target, serial, created))
                """)
            try connection.exec("""
                CREATE TABLE IF NOT EXISTS \(locks) (target text PRIMARY KEY, id text NOT NULL, holder text NOT NULL,
                  pid integer NOT NULL, host text NOT NULL, operation text NOT NULL, backend integer NOT NULL,
                  created timestamptz NOT NULL, expires timestamptz NOT NULL)
                """)
        }
    }
}
