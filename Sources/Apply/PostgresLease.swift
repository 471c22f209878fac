import State

/// The PostgreSQL lock as a run holds it: `PostgresStateLock` plus a heartbeat that renews its lease row's
/// `expires` every `ttl / 3`, so a long apply's row never looks expired while its holder lives. Liveness is
/// the advisory lock's (see `PostgresStateLock`); a beat that fails is retried at the next, and a lost lock
/// stops the run at its next `verify`.
final class PostgresLease: StateLock {
    private let lock: PostgresStateLock
    private var heartbeat: Heartbeat?

    init(_ lock: PostgresStateLock) {
        self.lock = lock
        heartbeat = Heartbeat(interval: lock.ttl / 3, name: "recon.pg-lease-heartbeat") { [lock] in try? lock.renew() }
    }

    deinit { heartbeat?.stop(wait: false) }

    var id: String { lock.id }
    var notes: [String] { [] }
    func verify() throws { try lock.checkHeld() }

    func release() throws {
        heartbeat?.stop()
        heartbeat = nil
        try lock.release()
    }
}
