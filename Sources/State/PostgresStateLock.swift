import Foundation
import Postgres
import ReconCore

/// The lock of one target's PostgreSQL state: a session-level advisory lock, held by a connection
/// kept open for the lock's life, plus a lease row saying who holds it. The advisory key is a hash
/// of (schema, target), so other schemas and targets never block (unlike one fixed key per
/// database, hashicorp/terraform#33217), and a killed holder's lock goes the moment its connection
/// dies: no waiting for a lease to expire.
///
/// The rule: the advisory lock is the truth about liveness. The lease row only says who holds it; its
/// `expires` is renewed by the holder's heartbeat (`renew`) so a reader can see it is alive, and a row
/// left by a dead holder (expired or not) is taken over by the next holder that gets the advisory lock.
/// Safe to use from several threads (the heartbeat and the applier share the connection under a lock).
public final class PostgresStateLock: @unchecked Sendable {
    public static let defaultTTL: TimeInterval = 3600

    public let id: String
    public let ttl: TimeInterval
    private let store: PostgresStateStore
    private let lock = NSLock()
    private var connection: PGConnection?

    private init(id: String, ttl: TimeInterval, store: PostgresStateStore, connection: PGConnection) {
        self.id = id
        self.ttl = ttl
        self.store = store
        self.connection = connection
    }

    /// Takes the lock, or throws naming its holder. With `wait`, polls until it is free or `wait`
    /// seconds have passed; `stopWaiting` (an interrupt) ends the wait early with the same error.
    public static func acquire(_ store: PostgresStateStore, operation: String, ttl: TimeInterval = defaultTTL,
                               wait: TimeInterval? = nil, stopWaiting: () -> Bool = { false }) throws -> PostgresStateLock {
        let connection = try store.connect()
        let key = advisoryKey(schema: store.schema.schema, target: store.target)
        let deadline = Date().addingTimeInterval(wait ?? 0)
        while try connection.exec("SELECT pg_try_advisory_lock($1)", [.integer(key)]).text(0, 0) != "t" {
            guard Date() < deadline, !stopWaiting() else { throw try heldError(store, on: connection) }
            Thread.sleep(forTimeInterval: min(0.2, max(deadline.timeIntervalSinceNow, 0.01)))
        }
        let id = UUID().uuidString.lowercased()
        // Any row left is a dead holder's: its advisory lock went with its connection.
        try connection.exec("""
            INSERT INTO \(store.schema.locks) (target, id, holder, pid, host, operation, backend, created, expires)
            VALUES ($1, $2, $3, $4, $5, $6, pg_backend_pid(), now(), now() + make_interval(secs => $7))
            ON CONFLICT (target) DO UPDATE SET id = excluded.id, holder = excluded.holder, pid = excluded.pid,
              host = excluded.host, operation = excluded.operation, backend = excluded.backend,
              created = excluded.created, expires = excluded.expires
            """, [.text(store.target), .text(id), .text(holder), .integer(Int(getpid())), .text(host),
                  .text(operation), .integer(Int(ttl))])
        return PostgresStateLock(id: id, ttl: ttl, store: store, connection: connection)
    }

    /// Throws when this holder no longer holds the lock (forced away, or the connection died): call
    /// before every write.
    public func checkHeld() throws {
        try lock.withLock { try checkHeldLocked() }
    }

    /// Moves the lease row's `expires` to `ttl` from now (the heartbeat); throws when the row is no longer this lease's.
    public func renew() throws {
        try lock.withLock {
            guard let connection else { throw ReconError("the lock on \(store.location) was released") }
            let rows = try connection.exec("UPDATE \(store.schema.locks) SET expires = now() + make_interval(secs => $3) WHERE target = $1 AND id = $2",
                                           [.text(store.target), .text(id), .integer(Int(ttl))])
            guard rows.affected == 1 else { throw ReconError("the lock on \(store.location) was taken from this run (lease \(id))") }
        }
    }

    private func checkHeldLocked() throws {
        guard let connection else { throw ReconError("the lock on \(store.location) was released") }
        let rows: PGResult
        do {
            rows = try connection.exec("SELECT id FROM \(store.schema.locks) WHERE target = $1", [.text(store.target)])
        } catch {
            throw ReconError("lost the lock on \(store.location): \(error)", hint: "stopped before writing; run 'recon plan' to see what is left")
        }
        guard rows.rows.first?[0] == id else {
            throw ReconError("the lock on \(store.location) was taken from this run (lease \(id))",
                             hint: "stopped before writing; run 'recon plan' to see what is left")
        }
    }

    public func release() throws {
        lock.lock()
        defer { lock.unlock() }
        guard let connection else { return }
        defer {
            connection.close()
            self.connection = nil
        }
        try connection.exec("DELETE FROM \(store.schema.locks) WHERE target = $1 AND id = $2", [.text(store.target), .text(id)])
        try connection.exec("SELECT pg_advisory_unlock($1)", [.integer(Self.advisoryKey(schema: store.schema.schema, target: store.target))])
    }

    /// Closing the connection releases the advisory lock; the lease row stays until the next holder.
    public func close() {
        lock.withLock {
            connection?.close()
            connection = nil
        }
    }

    deinit { close() }

    /// Breaks lease `id` on purpose: its row goes and its session ends, so its advisory lock is free
    /// and its holder fails its next `checkHeld`. Throws when `id` is not the current lease.
    public static func forceUnlock(_ store: PostgresStateStore, id: String) throws {
        let connection = try store.connect()
        try connection.transaction {
            let rows = try connection.exec("DELETE FROM \(store.schema.locks) WHERE target = $1 AND id = $2 RETURNING backend",
                                           [.text(store.target), .text(id)])
            guard let backend = rows.rows.isEmpty ? nil : rows.integer(0, 0) else {
                throw ReconError("no lease \(id) holds \(store.location)", hint: "the lock may have been released already")
            }
            try connection.exec("SELECT pg_terminate_backend($1)", [.integer(backend)])
        }
    }

    /// The lease row as `recon lock` shows it; `sessionAlive` says whether its holder's session still
    /// holds an advisory lock (false: the holder died, and the row only waits for the next holder).
    public struct Holder: Sendable, Equatable {
        public var id: String
        public var holder: String
        public var pid: Int
        public var host: String
        public var operation: String
        public var created: String
        public var expires: String
        public var sessionAlive: Bool
    }

    /// The lease row of the store's target, or nil when none is there. Reads only: takes no lock.
    public static func holder(_ store: PostgresStateStore) throws -> Holder? {
        let connection = try store.connect()
        defer { connection.close() }
        let time = { (column: String) in "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')" }
        let rows = try connection.exec("""
            SELECT id, holder, pid, host, operation, \(time("created")), \(time("expires")),
              EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = backend AND l.locktype = 'advisory' AND l.granted)
            FROM \(store.schema.locks) WHERE target = $1
            """, [.text(store.target)])
        guard let row = rows.rows.first else { return nil }
        return Holder(id: row[0] ?? "", holder: row[1] ?? "", pid: rows.integer(0, 2) ?? 0, host: row[3] ?? "",
                      operation: row[4] ?? "", created: row[5] ?? "", expires: row[6] ?? "", sessionAlive: row[7] == "t")
    }

    /// FNV-1a over the schema and target (each length-prefixed), as PostgreSQL's signed bigint.
    static func advisoryKey(schema: String, target: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in [schema, target] {
            let bytes = Array(part.utf8)
            for byte in withUnsafeBytes(of: UInt32(bytes.count).bigEndian, Array.init) + bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        return Int(Int64(bitPattern: hash))
    }

    private static func heldError(_ store: PostgresStateStore, on connection: PGConnection) throws -> ReconError {
        let rows = try connection.exec("""
            SELECT holder, pid, host, operation, to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), id
            FROM \(store.schema.locks) WHERE target = $1
            """, [.text(store.target)])
        guard let row = rows.rows.first else {
            return ReconError("\(store.location) is locked by another run that is just starting", hint: "try again, or wait with --lock-timeout")
        }
        let shown = { (text: String?) in ControlEscape.escaped(text ?? "?") }
        return ReconError("\(store.location) is locked by \(shown(row[0])) (pid \(shown(row[1])) on \(shown(row[2]))) for '\(shown(row[3]))' since \(shown(row[4])), lease id \(shown(row[5]))",
                          hint: "wait for it with --lock-timeout, or break it with 'recon force-unlock \(shown(row[5]))' if that run is gone")
    }

    private static var host: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static var holder: String {
        let user = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "uid \(getuid())"
        return "\(user)@\(host)"
    }
}
