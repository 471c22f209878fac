import Postgres
import ReconCore

/// The runs of one target in PostgreSQL, as bytes (the Apply module owns their meaning): a ledger row per
/// run (`runs`), its outcome and intent lines in order (`run_entries`), and its files (`run_files`: the
/// plan, the before-images, the prior state) under the names the local run folder gives them. Every row
/// is keyed by target, so two targets never share runs.
public struct PostgresRunArchive: Sendable {
    public let store: PostgresStateStore
    var schema: PostgresStateSchema { store.schema }
    var target: String { store.target }

    public init(_ store: PostgresStateStore) {
        self.store = store
    }

    /// One run as listed: its id, its ledger bytes, and whether any backup file is kept.
    public struct Listed: Sendable {
        public var id: String
        public var ledger: [UInt8]
        public var hasBackup: Bool
    }

    func connect() throws -> PGConnection { try store.connect() }

    /// Creates run `id` with its first ledger; false when that id is taken.
    public func create(run id: String, ledger: [UInt8]) throws -> Bool {
        let rows = try connect().exec("INSERT INTO \(schema.runs) (target, id, ledger) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                      [.text(target), .text(id), .bytes(ledger)])
        return rows.affected == 1
    }

    public func runs() throws -> [Listed] {
        let rows = try connect().exec("""
            SELECT r.id, r.ledger, EXISTS (SELECT 1 FROM \(schema.runFiles) f WHERE f.target = r.target AND f.run = r.id
              AND f.name LIKE 'backup/%') FROM \(schema.runs) r WHERE r.target = $1 ORDER BY r.id
            """, [.text(target)])
        return rows.rows.indices.map { Listed(id: rows.text($0, 0) ?? "", ledger: rows.bytes($0, 1) ?? [], hasBackup: rows.text($0, 2) == "t") }
    }

    public func ledger(run id: String) throws -> [UInt8]? {
        let rows = try connect().exec("SELECT ledger FROM \(schema.runs) WHERE target = $1 AND id = $2", [.text(target), .text(id)])
        return rows.rows.isEmpty ? nil : rows.bytes(0, 0)
    }

    /// The run's outcome and intent lines, each without its newline, in the order written.
    public func lines(run id: String) throws -> [[UInt8]] {
        let rows = try connect().exec("SELECT line FROM \(schema.runEntries) WHERE target = $1 AND run = $2 ORDER BY seq",
                                      [.text(target), .text(id)])
        return rows.rows.indices.map { rows.bytes($0, 0) ?? [] }
    }

    public func file(run id: String, name: String) throws -> [UInt8]? {
        let rows = try connect().exec("SELECT bytes FROM \(schema.runFiles) WHERE target = $1 AND run = $2 AND name = $3",
                                      [.text(target), .text(id), .text(name)])
        return rows.rows.isEmpty ? nil : rows.bytes(0, 0)
    }

    /// Replaces run `id`'s ledger on a connection of its own (a hook result recorded after the run finished).
    public func replaceLedger(run id: String, _ ledger: [UInt8]) throws {
        try connect().exec("UPDATE \(schema.runs) SET ledger = $3 WHERE target = $1 AND id = $2", [.text(target), .text(id), .bytes(ledger)])
    }

    public func putFiles(run id: String, _ files: [(name: String, bytes: [UInt8])]) throws {
        let connection = try connect()
        try connection.transaction {
            for file in files {
                try connection.exec("""
                    INSERT INTO \(schema.runFiles) (target, run, name, bytes) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (target, run, name) DO UPDATE SET bytes = excluded.bytes
                    """, [.text(target), .text(id), .text(file.name), .bytes(file.bytes)])
            }
        }
    }

    /// Removes a run whole (ledger, lines, files) in one transaction.
    public func remove(run id: String) throws {
        let connection = try connect()
        try connection.transaction {
            for table in [schema.runFiles, schema.runEntries] {
                try connection.exec("DELETE FROM \(table) WHERE target = $1 AND run = $2", [.text(target), .text(id)])
            }
            try connection.exec("DELETE FROM \(schema.runs) WHERE target = $1 AND id = $2", [.text(target), .text(id)])
        }
    }

    /// Removes a run's backup files (`backup/...`); its ledger, lines and plan stay.
    public func removeBackup(run id: String) throws {
        try connect().exec("DELETE FROM \(schema.runFiles) WHERE target = $1 AND run = $2 AND name LIKE 'backup/%'",
                           [.text(target), .text(id)])
    }

    /// The lease id of a live holder of the target's lock, or nil when nobody holds it. The advisory lock is
    /// the truth (it dies with its holder's connection); the lease row only names who that is.
    public func liveLeaseID() throws -> String? {
        let connection = try connect()
        defer { connection.close() }
        let key = PostgresStateLock.advisoryKey(schema: schema.schema, target: target)
        if try connection.exec("SELECT pg_try_advisory_lock($1)", [.integer(key)]).text(0, 0) == "t" {
            try connection.exec("SELECT pg_advisory_unlock($1)", [.integer(key)])
            return nil
        }
        let rows = try connection.exec("SELECT id FROM \(schema.locks) WHERE target = $1", [.text(target)])
        return rows.rows.first?[0] ?? ""
    }

    /// Writes a whole run (moved from another store) in one transaction; refuses an id already here.
    public func importRun(_ id: String, ledger: [UInt8], lines: [[UInt8]], files: [(name: String, bytes: [UInt8])]) throws {
        let connection = try connect()
        try connection.transaction {
            try connection.exec("INSERT INTO \(schema.runs) (target, id, ledger) VALUES ($1, $2, $3)", [.text(target), .text(id), .bytes(ledger)])
            for (index, line) in lines.enumerated() {
                try connection.exec("INSERT INTO \(schema.runEntries) (target, run, seq, line) VALUES ($1, $2, $3, $4)",
                                    [.text(target), .text(id), .integer(index + 1), .bytes(line)])
            }
            for file in files {
                try connection.exec("INSERT INTO \(schema.runFiles) (target, run, name, bytes) VALUES ($1, $2, $3, $4)",
                                    [.text(target), .text(id), .text(file.name), .bytes(file.bytes)])
            }
        }
    }

    /// Opens the writer of run `id`'s lines and ledger (one per run).
    public func journal(run id: String) throws -> PostgresRunJournal {
        PostgresRunJournal(archive: self, run: id, connection: try connect())
    }
}
