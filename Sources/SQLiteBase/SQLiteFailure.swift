import CSQLite
import ReconCore

/// Turns SQLite result codes into messages a person can act on.
enum SQLiteFailure {
    static func error(code: Int32, message: String, path: String, sql: String?) -> ReconError {
        let primary = code & 0xFF
        switch primary {
        case SQLITE_NOTADB:
            return ReconError(
                "'\(path)' is not a SQLite database (\(message))",
                hint: "the target's database path points at some other kind of file; fix 'database' in the target, or move the file away")
        case SQLITE_CORRUPT:
            return ReconError(
                "the SQLite database '\(path)' is corrupt (\(message))",
                hint: "restore it from a backup, or try 'sqlite3 \(path) .recover'; Recon did not write to it")
        case SQLITE_BUSY, SQLITE_LOCKED:
            return ReconError(
                "the SQLite database '\(path)' is locked by another connection (\(message))",
                hint: "wait for the other program to finish, or close it, then run again")
        case SQLITE_CANTOPEN:
            return ReconError(
                "cannot open the SQLite database '\(path)' (\(message))",
                hint: "check that the directory exists and is writable")
        case SQLITE_READONLY:
            return ReconError(
                "the SQLite database '\(path)' is read-only (\(message))",
                hint: "check the file's permissions")
        case SQLITE_FULL:
            return ReconError("the disk holding '\(path)' is full (\(message))")
        default:
            let statement = sql.map { " while running: \(Self.abbreviate($0))" } ?? ""
            return ReconError("SQLite error in '\(path)': \(message)\(statement)")
        }
    }

    private static func abbreviate(_ sql: String) -> String {
        sql.count > 200 ? String(sql.prefix(200)) + "…" : sql
    }
}
