import Foundation
import ReconCore
import Remote

/// Writes made outside Recon to its managed tables, logged by the base itself (issue 12): AFTER triggers on each
/// table add a row to `_recon_changes` unless `_recon_writes.writing` is 1. Recon's own transactions set it first
/// and clear it before COMMIT; SQLite has one writer at a time, so no outside write can share such a transaction.
/// `write_serial` counts Recon's write transactions, so a base replaced by an older copy never matches a mark;
/// `nonce` is drawn anew in each, so neither does a sibling copy (one that diverged from the same file).
enum SQLiteChangeLog {
    /// How much of the log a base has: looked up once per connection.
    enum Shape { case absent, withoutNonce, current }

    static let writesTable = "_recon_writes"
    static let operations = ["insert", "update", "delete"]

    static let schemaSQL = """
        CREATE TABLE IF NOT EXISTS _recon_changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            table_id TEXT NOT NULL,
            row_id INTEGER,
            op TEXT NOT NULL,
            at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS _recon_writes (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            writing INTEGER NOT NULL,
            write_serial INTEGER NOT NULL,
            nonce TEXT);
        INSERT OR IGNORE INTO _recon_writes (id, writing, write_serial) VALUES (1, 0, 0);
        """

    /// Called first in each of Recon's write transactions: its writes are not logged, and the serial moves.
    /// False when the base has no log yet (nothing to mark).
    static func beginWrite(_ connection: SQLiteConnection) throws -> Bool {
        if connection.changeLog == nil { connection.changeLog = try shape(on: connection) }
        switch connection.changeLog {
        case .current:
            let nonce = WriteNonce.make()
            try connection.execute("UPDATE _recon_writes SET writing = 1, write_serial = write_serial + 1, nonce = '\(nonce)' WHERE id = 1")
            connection.lastWriteNonce = nonce
        case .withoutNonce: try connection.execute("UPDATE _recon_writes SET writing = 1, write_serial = write_serial + 1 WHERE id = 1")
        case .absent, nil: return false
        }
        return true
    }

    /// Called last before COMMIT, so writes after it (another process's) are logged again.
    static func endWrite(_ connection: SQLiteConnection) throws {
        try connection.execute("UPDATE _recon_writes SET writing = 0 WHERE id = 1")
    }

    /// Creates the log and each table's three triggers where missing or not as Recon writes them. Idempotent:
    /// with every trigger in place it writes nothing (the schema version stays).
    static func install(_ tables: [RemoteTable], on connection: SQLiteConnection) throws {
        let tracked = tables.filter { isTrackable($0.id) }
        let present = try triggers(on: connection)
        let missing = tracked.flatMap { table in
            operations.compactMap { op -> (name: String, sql: String)? in
                let name = triggerName(table.id, op)
                return present[name] == triggerSQL(table, op) ? nil : (name, triggerSQL(table, op))
            }
        }
        let shape = try shape(on: connection)
        guard !missing.isEmpty || shape != .current else { return }
        try connection.transaction {
            try connection.execute(schemaSQL)
            // A log made by an earlier version gains its nonce here, under the apply's lock.
            if shape == .withoutNonce { try connection.execute("ALTER TABLE _recon_writes ADD COLUMN nonce TEXT") }
            // Counted as a write of Recon's like any other (the triggers made here do not see DDL).
            try connection.execute("UPDATE _recon_writes SET write_serial = write_serial + 1, nonce = '\(WriteNonce.make())' WHERE id = 1")
            for trigger in missing {
                try connection.executeOne("DROP TRIGGER IF EXISTS \(SQLIdentifier.quote(trigger.name))")
                try connection.executeOne(trigger.sql)
            }
        }
        connection.changeLog = .current
        connection.forgetStatements()
    }

    /// Whether `name` and `sql` are one of `table`'s log triggers exactly as Recon writes them.
    static func isOwnTrigger(_ name: String, sql: String, of table: RemoteTable) -> Bool {
        isTrackable(table.id) && operations.contains { triggerName(table.id, $0) == name && triggerSQL(table, $0) == sql }
    }

    /// The base's mark now, or nil when the log is missing or any of `tables` lacks its triggers.
    /// A log without its nonce (made by an earlier version, until the next apply adds it) has no mark.
    static func mark(_ tables: [RemoteTable], on connection: SQLiteConnection) throws -> String? {
        guard try shape(on: connection) == .current,
              try SQLiteCatalog.exists(table: "_recon_changes", in: connection) else { return nil }
        let present = try triggers(on: connection)
        for table in tables {
            guard isTrackable(table.id) else { return nil }
            for op in operations where present[triggerName(table.id, op)] != triggerSQL(table, op) { return nil }
        }
        let serial = try integer("SELECT write_serial FROM _recon_writes WHERE id = 1 AND writing = 0", on: connection)
        let nonce = try text("SELECT nonce FROM _recon_writes WHERE id = 1", on: connection)
        let sequence = try integer("SELECT seq FROM sqlite_sequence WHERE name = '_recon_changes'", on: connection) ?? 0
        let count = try integer("SELECT count(*) FROM _recon_changes", on: connection) ?? 0
        let schemaVersion = try integer("PRAGMA schema_version", on: connection) ?? 0
        guard let serial, let nonce else { return nil }
        let ids = tables.map(\.id).sorted().joined(separator: ",")
        return SQLiteChangeMark(serial: serial, nonce: nonce, sequence: sequence, count: count, schemaVersion: schemaVersion,
                                tables: ids).token
    }

    static func shape(on connection: SQLiteConnection) throws -> Shape {
        guard let columns = try SQLiteCatalog.columns(of: writesTable, in: connection) else { return .absent }
        return columns.contains("nonce") ? .current : .withoutNonce
    }

    /// Ids Recon made (`tbl…`): safe inside a trigger name and a string literal without escaping.
    private static func isTrackable(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    static func triggerName(_ tableID: String, _ op: String) -> String { "_recon_log_\(tableID)_\(op)" }

    private static func triggerSQL(_ table: RemoteTable, _ op: String) -> String {
        let row = op == "delete" ? "OLD" : "NEW"
        return "CREATE TRIGGER \(SQLIdentifier.quote(triggerName(table.id, op))) AFTER \(op.uppercased()) ON \(SQLIdentifier.quote(table.name)) "
            + "WHEN (SELECT writing FROM _recon_writes WHERE id = 1) IS NOT 1 BEGIN "
            + "INSERT INTO _recon_changes (table_id, row_id, op, at) "
            + "VALUES ('\(table.id)', \(row).rowid, '\(op)', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')); END"
    }

    /// Recon's log triggers by name → their SQL as stored.
    private static func triggers(on connection: SQLiteConnection) throws -> [String: String] {
        let statement = try connection.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '\\_recon\\_log\\_%' ESCAPE '\\'")
        defer { statement.reset() }
        var found: [String: String] = [:]
        while try statement.step() {
            if let name = statement.text(0) { found[name] = statement.text(1) ?? "" }
        }
        return found
    }

    private static func integer(_ sql: String, on connection: SQLiteConnection) throws -> Int? {
        let statement = try connection.prepare(sql)
        defer { statement.reset() }
        guard try statement.step(), !statement.isNull(0) else { return nil }
        return statement.int(0)
    }

    private static func text(_ sql: String, on connection: SQLiteConnection) throws -> String? {
        let statement = try connection.prepare(sql)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return statement.text(0)
    }
}
