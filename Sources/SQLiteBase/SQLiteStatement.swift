import CSQLite
import ReconCore

/// SQLite's "destructor" flag meaning "copy the bytes now", which Swift cannot import as a constant.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement: bind by position (1-based), step, read columns (0-based).
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection
    let sql: String

    init(_ handle: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds the text's UTF-8 bytes with their length: as a C string a NUL would end the value.
    func bind(_ index: Int32, _ text: String?) throws {
        guard var text else { return try check(sqlite3_bind_null(handle, index)) }
        let code = text.withUTF8 { bytes -> Int32 in
            // An empty buffer may have no address, which SQLite would bind as NULL rather than ''.
            guard let start = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, transient) }
            return start.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(bytes.count), transient, UInt8(SQLITE_UTF8))
            }
        }
        try check(code)
    }

    func bind(_ index: Int32, _ number: Double) throws { try check(sqlite3_bind_double(handle, index, number)) }
    func bind(_ index: Int32, _ number: Int) throws { try check(sqlite3_bind_int64(handle, index, Int64(number))) }
    func bindNull(_ index: Int32) throws { try check(sqlite3_bind_null(handle, index)) }

    /// Advances one row; false when done.
    @discardableResult
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let error = connection.failure(code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs to completion, ignoring rows.
    func run() throws { while try step() {} }

    var columnCount: Int32 { sqlite3_column_count(handle) }

    /// How many times SQLite ran this statement since it was prepared (each reset and step again is one).
    var runs: Int { Int(sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_RUN, 0)) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func type(_ column: Int32) -> Int32 { sqlite3_column_type(handle, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The raw UTF-8 bytes of a text cell, for parsing JSON without a String in between.
    func bytes(_ column: Int32) -> [UInt8]? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeBufferPointer(start: bytes, count: count))
    }

    private func check(_ code: Int32) throws {
        if code != SQLITE_OK { throw connection.failure(code, sql: sql) }
    }
}
