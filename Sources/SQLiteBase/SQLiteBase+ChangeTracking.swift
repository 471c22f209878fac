import Remote

/// SQLite's change tracking: triggers into `_recon_changes` (see `SQLiteChangeLog`). Every write is seen, so the
/// mark needs no full refresh after a while.
extension SQLiteBase: ChangeTracking {
    public func changeMark(tables: [RemoteTable]) throws -> ChangeMark? {
        guard let connection = try openForReading() else { return nil }
        return try SQLiteChangeLog.mark(tables, on: connection).map { ChangeMark(token: $0) }
    }

    public func isUnchanged(since mark: ChangeMark, tables: [RemoteTable]) throws -> Bool {
        try changeMark(tables: tables)?.token == mark.token
    }

    /// The log's own counters only: Recon's writes move the serial, the nonce and the schema version, never them.
    public func hasNoOutsideWrites(since mark: ChangeMark, tables: [RemoteTable]) throws -> Bool {
        guard let now = try changeMark(tables: tables), let logged = SQLiteChangeLog.outsideWrites(in: now.token) else { return false }
        return logged == SQLiteChangeLog.outsideWrites(in: mark.token)
    }

    public func installChangeTracking(tables: [RemoteTable]) throws {
        try SQLiteChangeLog.install(tables, on: openForWriting())
    }
}
