/// What a base can say about writes made outside Recon without reading its records, so a run with nothing to do
/// does work that grows with the changes, not the records (issue 12). Recon's own writes are never counted:
/// each provider marks them inside the same transaction (SQLite: a flag row; PostgreSQL: `SET LOCAL`).
public protocol ChangeTracking {
    /// The base's mark now, or nil when it cannot vouch for every one of `tables` (one without its triggers yet:
    /// apply installs them). Take it *before* a full refresh reads the records: a write racing that read then
    /// shows as a change next time, never as nothing.
    func changeMark(tables: [RemoteTable]) throws -> ChangeMark?
    /// True only when nothing in `tables` (their rows, or the schema) changed outside Recon since `mark`.
    /// False whenever it cannot tell; the caller then does a full refresh.
    func isUnchanged(since mark: ChangeMark, tables: [RemoteTable]) throws -> Bool
    /// The mark now, when all that changed since `mark` is this provider's own record writes: no write from
    /// anywhere else, no schema change, the very base it wrote (not a copy put back). Nil whenever it cannot tell.
    func markAfterOwnWrites(since mark: ChangeMark, tables: [RemoteTable]) throws -> ChangeMark?
    /// Makes `tables` tracked (SQLite and PostgreSQL: triggers into a Recon table). Apply calls it under the lock
    /// after its schema phase; idempotent.
    func installChangeTracking(tables: [RemoteTable]) throws
    /// True only when none of `tables` holds a record: a table made by this apply before its tracking was installed,
    /// so a row written into it in between was logged nowhere. False whenever it cannot tell.
    func holdsNoRecords(_ tables: [RemoteTable]) throws -> Bool
}

extension ChangeTracking {
    /// Cannot tell: the baseline that asks (`ApplyExecutor.trackedFrom`) is then not kept.
    public func holdsNoRecords(_ tables: [RemoteTable]) throws -> Bool { false }
}

/// A provider's opaque mark of a base's state of change, kept with the seal of a run that found nothing to do.
public struct ChangeMark: Sendable, Equatable {
    /// Provider-defined; compared only by the provider that made it. Never holds a secret.
    public var token: String
    /// Seconds after which a full refresh is due anyway, nil when the tracking sees every write (SQLite and
    /// PostgreSQL triggers). Airtable's last-modified filter cannot see deletions: a day.
    public var fullRefreshAfter: Int?

    public init(token: String, fullRefreshAfter: Int? = nil) {
        self.token = token
        self.fullRefreshAfter = fullRefreshAfter
    }
}
