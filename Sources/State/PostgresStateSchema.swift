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
/// - `runs`, `run_entries`, `run_files`: the run ledger, its outcome and intent lines, and its
///   backup files (see `PostgresRunArchive`).
/// - `state_marks`, `state_seals`: the state's version and the no-op seals (see `PostgresStateMarks`), added to
///   a store of an older version when the role may; without them the store works, unsealed.
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
    var runs: String { table("runs") }
    var runEntries: String { table("run_entries") }
    var runFiles: String { table("run_files") }
    var marks: String { table("state_marks") }
    var seals: String { table("state_seals") }

    private func table(_ name: String) -> String { "\(PGIdentifier.quote(schema)).\(PGIdentifier.quote(name))" }

    static let tableNames = ["state_heads", "state_items", "state_versions", "state_locks", "runs", "run_entries", "run_files"]

    /// Creates what is missing, in one transaction. Looks first, so a role that may only read and
    /// write the tables (no CREATE on the database) works once they exist.
    func create(on connection: PGConnection) throws {
        let present = try connection.exec("SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename = ANY($2::text[])",
                                          [.text(schema), .text("{" + Self.tableNames.joined(separator: ",") + "}")])
        if present.integer(0, 0) != Self.tableNames.count { try createTables(on: connection) }
        PostgresStateMarks(schema: self).ensure(on: connection)
    }

    private func createTables(on connection: PGConnection) throws {
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
            try connection.exec("""
                CREATE TABLE IF NOT EXISTS \(runs) (target text NOT NULL, id text NOT NULL, ledger bytea NOT NULL,
                  PRIMARY KEY (target, id))
                """)
            try connection.exec("""
                CREATE TABLE IF NOT EXISTS \(runEntries) (target text NOT NULL, run text NOT NULL, seq bigint NOT NULL,
                  line bytea NOT NULL, PRIMARY KEY (target, run, seq))
                """)
            try connection.exec("""
                CREATE TABLE IF NOT EXISTS \(runFiles) (target text NOT NULL, run text NOT NULL, name text NOT NULL,
                  bytes bytea NOT NULL, PRIMARY KEY (target, run, name))
                """)
        }
    }
}
