import CSQLite
import Foundation
import ReconCore

/// A thin wrapper over one `sqlite3` handle: open, run, prepare (cached), transactions.
/// Every failure becomes a `ReconError` naming the file, and the SQL where one was running.
final class SQLiteConnection {
    let path: String
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    /// How much of Recon's change log the base has (`SQLiteChangeLog`): looked up once, set when it is installed.
    var changeLog: SQLiteChangeLog.Shape?
    /// The nonce of the last write transaction begun here (`SQLiteChangeLog.beginWrite`): a base that holds another
    /// one was written since by something else, or replaced by a copy.
    var lastWriteNonce: String?

    /// Opens `path`; creates it (and its directory) only when `create` is true.
    init(path: String, create: Bool, busyTimeoutMilliseconds: Int) throws {
        self.path = path
        if create {
            // The base is as private as its backups: made 0600 (SQLite would use 0644), its journal follows.
            try? PrivateFile.createDirectory(PrivateFile.directoryOf(path))
            let fd = PrivateFile.open(path, O_WRONLY | O_EXCL)
            if fd >= 0 { close(fd) }
        }
        var raw: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &raw, flags, nil)
        guard code == SQLITE_OK, let raw else {
            let message = raw.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            if let raw { sqlite3_close_v2(raw) }
            throw SQLiteFailure.error(code: code, message: message, path: path, sql: nil)
        }
        handle = raw
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Int32(clamping: busyTimeoutMilliseconds))
        recon_sqlite3_disable_dqs(handle)
        // Rollback journal, durable commits: the base stays one self-contained file any SQLite
        // tool can open or copy, and a committed batch survives a power loss (see decisions-state.md).
        try execute("PRAGMA journal_mode=DELETE")
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=OFF")
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs constant SQL that returns no rows we need (pragmas, transactions, the metadata
    /// tables); several statements allowed. SQL built from names goes through `executeOne`.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw failure(code, sql: sql, message: text)
        }
    }

    /// Runs exactly one statement that is built from names (DDL), uncached: SQL text holding a
    /// second statement is refused before anything runs, so a quoting mistake cannot chain one.
    func executeOne(_ sql: String) throws {
        var raw: OpaquePointer?
        var rest = ""
        let code = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(handle, text, -1, &raw, &tail)
            if let tail { rest = String(cString: tail) }
            return code
        }
        guard code == SQLITE_OK, let raw else { throw failure(code, sql: sql) }
        defer { sqlite3_finalize(raw) }
        guard rest.allSatisfy(\.isWhitespace) else {
            throw failure(SQLITE_MISUSE, sql: sql, message: "more than one statement in SQL built from names")
        }
        let step = sqlite3_step(raw)
        guard step == SQLITE_DONE || step == SQLITE_ROW else { throw failure(step, sql: sql) }
    }

    /// A prepared statement, reused across calls with the same SQL (bindings cleared).
    func prepare(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard code == SQLITE_OK, let raw else { throw failure(code, sql: sql) }
        let statement = SQLiteStatement(raw, connection: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs `body` in one IMMEDIATE transaction: all of it commits, or none of it. Marked as Recon's own write
    /// (`SQLiteChangeLog`), so the change log's triggers skip it.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let marked = try SQLiteChangeLog.beginWrite(self)
            let result = try body()
            if marked { try SQLiteChangeLog.endWrite(self) }
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs of each cached statement by its SQL: what a batch costs in statements, for tests and profiles.
    func statementRuns() -> [String: Int] { statements.mapValues(\.runs) }

    /// Drops cached statements, whose plans go stale when the schema changes.
    func forgetStatements() { statements.removeAll() }

    func failure(_ code: Int32, sql: String?, message: String? = nil) -> ReconError {
        SQLiteFailure.error(code: code, message: message ?? String(cString: sqlite3_errmsg(handle)), path: path, sql: sql)
    }
}
