import Foundation
import ReconCore
import State

/// The lock on the state: a lease file only one process can hold, renewed by a heartbeat until released.
///
/// The file is created with `link()` from a complete temp file, so it appears whole or not at all and two
/// processes can never both create it. Its holder renews `expires` every `ttl / 3`; a lease that expired, or
/// whose process on this host is gone, is broken by the next acquirer with a note. All changes to the file
/// happen under `LeaseGuard`, so breaking a stale lease never removes a fresh one.
public final class Lease: @unchecked Sendable {
    public static let defaultTTL: TimeInterval = 60

    public let path: String
    public let ttl: TimeInterval
    /// Stale leases broken to get this one, one sentence each, for the caller to print.
    public let notes: [String]

    private let lock = NSLock()
    private var current: LeaseInfo
    private var lost: String?
    private var released = false
    private var heartbeat: Heartbeat?

    private init(path: String, info: LeaseInfo, ttl: TimeInterval, notes: [String]) {
        self.path = path
        self.current = info
        self.ttl = ttl
        self.notes = notes
    }

    /// A lease dropped without `release()` stops renewing and so expires; it is not removed, since the
    /// run may have ended badly. Not waiting: the last reference may go on the heartbeat thread itself.
    deinit {
        heartbeat?.stop(wait: false)
    }

    /// The lease as last written (its `expires` moves with each heartbeat).
    public var info: LeaseInfo { lock.withLock { current } }
    public var id: String { lock.withLock { current.id } }
    /// Set when a heartbeat found the lease removed or replaced (force-unlock, or broken after a long
    /// stall): the holder no longer owns the state and should stop writing.
    public var lostReason: String? { lock.withLock { lost } }

    // MARK: Acquire

    /// Takes the lease at `path` for `operation`. Without `wait` it fails at once when another live
    /// holder has it; with `wait` it polls (backing off up to 2 s, the last sleep cut to what is left)
    /// until that many seconds have passed, so it never gives up early.
    /// `heartbeat: false` leaves renewal to the caller (`renew()`), for tests and one-shot commands.
    /// `stopWaiting` (an interrupt) ends a wait early with the same error as a wait that ran out.
    public static func acquire(path: String, operation: String, ttl: TimeInterval = Lease.defaultTTL,
                               wait: TimeInterval? = nil, heartbeat: Bool = true,
                               stopWaiting: () -> Bool = { false }) throws -> Lease {
        let started = Date()
        var delay = 0.05
        var notes: [String] = []
        try PrivateFile.claimStateDirectory(PrivateFile.directoryOf(path))
        while true {
            let attempt = try LeaseGuard.withLock(leasePath: path, createDirectory: true) { () throws -> Attempt in
                if let existing = try readInfo(path) {
                    guard let reason = existing.staleness() else { return .held(existing) }
                    try remove(path)
                    notes.append("broke the lease of \(existing.holderDescription): \(reason)")
                }
                return try create(path: path, operation: operation, ttl: ttl)
            }
            switch attempt {
            case .retry:
                continue
            case .acquired(let info):
                let lease = Lease(path: path, info: info, ttl: ttl, notes: notes)
                if heartbeat { lease.startHeartbeat() }
                return lease
            case .held(let holder):
                let waited = Date().timeIntervalSince(started)
                if let wait, waited < wait, !stopWaiting() {
                    if delay == 0.05 {  // the first look only: one line per wait
                        WaitNotice.report(WaitNotice(limit: wait, reason: "the lock held by \(holder.holderDescription)"))
                    }
                    Thread.sleep(forTimeInterval: min(delay, wait - waited))
                    delay = min(delay * 1.6, 2)
                    continue
                }
                throw busy(holder, path: path, waited: wait.map { min($0, waited) })
            }
        }
    }

    /// The holder of the lease at `path`, or nil when the state is not locked. Reads without the guard:
    /// the file is always replaced whole, so a reader never sees half of it.
    public static func current(path: String) throws -> LeaseInfo? {
        try readInfo(path)
    }

    /// Removes the lease at `path` only when its id is `id`; returns what was removed. For a holder that
    /// died on another host, or one known to be gone: the id proves the caller looked at that very lease.
    @discardableResult
    public static func forceUnlock(path: String, id: String) throws -> LeaseInfo {
        guard try readInfo(path) != nil else {
            throw ReconError("the state is not locked: there is no lease at \(path)", hint: "nothing to unlock")
        }
        return try LeaseGuard.withLock(leasePath: path) {
            guard let existing = try readInfo(path) else {
                throw ReconError("the state is not locked: there is no lease at \(path)", hint: "nothing to unlock")
            }
            guard existing.id == id else {
                throw ReconError("lease id '\(ControlEscape.escaped(id))' does not match the lock: it is held by \(existing.holderDescription)",
                                 hint: "to remove that lease, pass its id: recon force-unlock \(ControlEscape.escaped(existing.id))")
            }
            try remove(path)
            return existing
        }
    }

    // MARK: Holding

    /// Pushes `expires` to now + ttl. Throws, and records `lostReason`, when the lease is no longer ours.
    public func renew() throws {
        let mine = info
        try LeaseGuard.withLock(leasePath: path) {
            try check(Lease.readInfo(path), mine: mine.id)
            var next = mine
            next.expires = UTCTimestamp.truncated(Date().addingTimeInterval(ttl))
            try AtomicFile.write(next.encoded(), to: path)
            lock.withLock { current = next }
        }
    }

    /// Throws, and records `lostReason`, unless the lease file still holds this lease. Called before every
    /// batch: a lock taken away (force-unlock) stops its holder before its next write, not at its next heartbeat.
    /// One small read, no guard: the file is always replaced whole.
    public func verify() throws {
        if let lost = lostReason { throw Lease.lostError(lost) }
        try check(Lease.readInfo(path), mine: id)
    }

    private func check(_ found: LeaseInfo?, mine: String) throws {
        guard let found, found.id == mine else {
            let reason = found.map { "the lock is now held by \($0.holderDescription)" }
                ?? "the lease file \(path) was removed (force-unlock?)"
            lock.withLock { lost = reason }
            throw Lease.lostError(reason)
        }
    }

    private static func lostError(_ reason: String) -> ReconError {
        ReconError("the lock was taken: \(reason)", hint: "this run stopped before its next write; plan again once the other run is done")
    }

    /// Stops the heartbeat and removes the lease if it is still ours; calling it twice does nothing.
    public func release() throws {
        let beat: Heartbeat? = lock.withLock {
            defer { heartbeat = nil }
            return released ? nil : heartbeat
        }
        beat?.stop()
        let mine: String? = lock.withLock {
            defer { released = true }
            return released ? nil : current.id
        }
        guard let mine else { return }
        try LeaseGuard.withLock(leasePath: path) {
            if let found = try Lease.readInfo(path), found.id == mine { try Lease.remove(path) }
        }
    }

    private func startHeartbeat() {
        let beat = Heartbeat(interval: ttl / 3, name: "recon.lease-heartbeat") { [weak self] in
            // A failed write (disk full) is retried on the next beat; losing the lease is recorded by renew().
            try? self?.renew()
        }
        lock.withLock { heartbeat = beat }
    }

    // MARK: Files

    /// Writes a complete temp file and links it into place: atomic, and fails with EEXIST when taken.
    private static func create(path: String, operation: String, ttl: TimeInterval) throws -> Attempt {
        let now = UTCTimestamp.truncated(Date())
        let host = LeaseInfo.localHost
        let info = LeaseInfo(id: UUID().uuidString.lowercased(), owner: "\(LeaseInfo.localUser)@\(host)", pid: getpid(),
                             host: host, operation: operation, created: now, expires: UTCTimestamp.truncated(now.addingTimeInterval(ttl)))
        let temp = "\(path).\(info.id).tmp"
        try AtomicFile.write(info.encoded(), to: temp)
        defer { _ = try? SafeRemoval.remove(temp, inside: directory(of: path)) }
        if link(temp, path) == 0 {
            try AtomicFile.syncDirectory(directory(of: path))
            return .acquired(info)
        }
        guard errno == EEXIST else { throw failure("cannot create the lease", path) }
        // Only a writer that skips the guard (a person, an old recon) gets here; look again.
        return try readInfo(path).map(Attempt.held) ?? .retry
    }

    private enum Attempt {
        case acquired(LeaseInfo)
        case held(LeaseInfo)
        case retry
    }

    static func directory(of path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    static func readInfo(_ path: String) throws -> LeaseInfo? {
        guard let bytes = try AtomicFile.read(path) else { return nil }
        return try LeaseInfo.decode(bytes, path: path)
    }

    private static func remove(_ path: String) throws {
        try SafeRemoval.remove(path, inside: directory(of: path))
        try AtomicFile.syncDirectory(directory(of: path))
    }

    private static func failure(_ action: String, _ path: String) -> ReconError {
        ReconError("\(action) \(path): \(String(cString: strerror(errno)))")
    }

    private static func busy(_ holder: LeaseInfo, path: String, waited: TimeInterval?) -> ReconError {
        let lead = waited.map { "the state is still locked after waiting \(JSONWriter.format($0)) s" } ?? "the state is locked"
        return ReconError("\(lead): held by \(holder.holderDescription)",
                          hint: "wait for that run to finish, or retry with --lock-timeout DURATION (90, 30s, 5m); if you are sure it is "
                              + "no longer running: recon force-unlock \(holder.id)")
    }
}
