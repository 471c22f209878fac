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

    /// Nothing but this connection's record writes since `mark`: the log's counters and the schema version where they
    /// were, and the base holding the nonce of the last write made here (a copy put back would hold an older one).
    public func markAfterOwnWrites(since mark: ChangeMark, tables: [RemoteTable]) throws -> ChangeMark? {
        guard let now = try changeMark(tables: tables), let after = SQLiteChangeMark(token: now.token),
              let before = SQLiteChangeMark(token: mark.token), after.tables == before.tables,
              after.schemaVersion == before.schemaVersion, after.sequence == before.sequence, after.count == before.count
        else { return nil }
        // Its last write's nonce; a connection that never wrote vouches only for a base exactly as marked.
        guard let own = lastWriteNonce else { return after == before ? now : nil }
        return after.nonce == own && after.serial >= before.serial ? now : nil
    }

    public func installChangeTracking(tables: [RemoteTable]) throws {
        try SQLiteChangeLog.install(tables, on: openForWriting())
    }

    public func holdsNoRecords(_ tables: [RemoteTable]) throws -> Bool {
        guard !tables.isEmpty else { return true }
        guard let connection = try openForReading() else { return false }
        for table in tables {
            let statement = try connection.prepare("SELECT EXISTS (SELECT 1 FROM \(SQLIdentifier.quote(table.name)))")
            guard try statement.step(), statement.int(0) == 0 else { return false }
        }
        return true
    }
}
