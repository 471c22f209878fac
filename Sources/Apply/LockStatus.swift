import Foundation
import ReconCore
import State

/// Who holds the lock on the state, as `recon lock` and `recon report` show it: read, never taken.
public struct LockStatus: Sendable, Equatable {
    /// The lease file, or the PostgreSQL schema and target.
    public var location: String
    public var backend: String
    /// The lease; nil when the state is not locked.
    public var holder: LeaseInfo?
    /// Whether the holder's process runs: nil when it ran on another host, where this one cannot tell.
    public var processAlive: Bool?
    /// Why the lease may be broken (expired, process gone, session ended), or nil while its holder may be working.
    public var stale: String?
    /// `--state FILE` when the state is not at its default path, so the command shown works as typed.
    public var stateOption: String?

    public init(location: String, backend: String, holder: LeaseInfo? = nil, processAlive: Bool? = nil, stale: String? = nil) {
        self.location = location
        self.backend = backend
        self.holder = holder
        self.processAlive = processAlive
        self.stale = stale
    }

    public var isLocked: Bool { holder != nil }

    /// The command that removes the lease, shown when it is stale.
    public var forceUnlockCommand: String? {
        guard let holder, stale != nil else { return nil }
        return "recon force-unlock \(ControlEscape.escaped(holder.id))" + (stateOption.map { " --state \(PathRule.quoted($0))" } ?? "")
    }

    /// The local lease file at `path`; throws when it is there but unreadable.
    /// `statePath` is the state file the lock belongs to; a path other than the default goes into the force-unlock command.
    public static func local(path: String, statePath: String = StateStore.defaultPath, now: Date = Date()) throws -> LockStatus {
        guard let lease = try Lease.current(path: path) else { return LockStatus(location: path, backend: "local") }
        var status = LockStatus(location: path, backend: "local", holder: lease, processAlive: alive(lease),
                                stale: lease.staleness(now: now))
        if statePath != StateStore.defaultPath { status.stateOption = statePath }
        return status
    }

    /// The PostgreSQL lease row of `store`'s target.
    public static func postgres(_ store: PostgresStateStore, now: Date = Date()) throws -> LockStatus {
        guard let row = try PostgresStateLock.holder(store) else { return LockStatus(location: store.location, backend: "postgres") }
        let created = UTCTimestamp.parse(row.created) ?? now
        let expires = UTCTimestamp.parse(row.expires) ?? now
        let lease = LeaseInfo(id: row.id, owner: row.holder, pid: Int32(truncatingIfNeeded: row.pid), host: row.host,
                              operation: row.operation, created: created, expires: expires)
        let stale = row.sessionAlive ? nil : "its session has ended, so the next run takes the lock without waiting"
        return LockStatus(location: store.location, backend: "postgres", holder: lease, processAlive: alive(lease), stale: stale)
    }

    private static func alive(_ lease: LeaseInfo) -> Bool? {
        guard lease.host == LeaseInfo.localHost, lease.pid > 0 else { return nil }
        return kill(lease.pid, 0) == 0 || errno != ESRCH
    }
}

extension StateBackendChoice {
    /// The lock of this backend as it stands.
    public func lockStatus(layout: RunLayout, statePath: String = StateStore.defaultPath) throws -> LockStatus {
        switch place {
        case .local: try LockStatus.local(path: layout.lockPath, statePath: statePath)
        case .postgres(let store): try LockStatus.postgres(store)
        }
    }
}
