import State

/// The lock a writing run holds on its state: the file lease for local state, the PostgreSQL lock
/// (advisory lock + lease row) for a shared one. The run asks `verify` before every write.
public protocol StateLock: AnyObject {
    var id: String { get }
    /// What taking it did that the user should know (a stale lease broken).
    var notes: [String] { get }
    /// Throws when this run no longer holds the lock (forced away, or its connection died).
    func verify() throws
    func release() throws
}

extension Lease: StateLock {}

extension PostgresStateLock: StateLock {
    public var notes: [String] { [] }
    public func verify() throws { try checkHeld() }
}
