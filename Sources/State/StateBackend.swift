/// Where a target's state lives: local files (`StateStore`) or PostgreSQL (`PostgresStateStore`).
/// Apply and plan see only this, so both backends keep the same guarantees:
///
/// - `load` refuses, and never touches, a state of another target, a newer format, or damage.
/// - `write` is a full snapshot (serial + 1, a history version kept, history pruned): once per run.
///   It refuses to replace a state of another lineage (one this run did not load).
/// - `beginJournal` opens the per-batch log; each `append` is durable before it returns and costs
///   O(batch), never O(state). A crash (kill -9) at any point loses at most the batch in flight;
///   the next `load` returns the snapshot with every appended batch applied.
public protocol StateBackend: Sendable {
    associatedtype BatchLog: StateBatchLog
    /// Where the state lives, for messages: a path, or a schema and target (never a connection string).
    var location: String { get }
    func load(expectedTarget: String?) throws -> StateModel?
    /// `load`, with a digest of the stored bytes when the state is exactly those bytes (a file backend); else nil.
    func loadWithDigest(expectedTarget: String?) throws -> (state: StateModel?, fileDigest: String?)
    /// Copies the stored state to the file `path` when its bytes still have `digest`; false when they do not.
    func copySnapshot(digest: String, to path: String) throws -> Bool
    func write(_ state: inout StateModel, keepHistory: Int) throws
    /// `write`, copying the records left as loaded from the file `layout` describes when it may (`StateStore`); the
    /// SHA-256 of the file written, or nil when the state is not a file.
    func write(_ state: inout StateModel, keepHistory: Int, splicing layout: StateFileLayout?) throws -> String?
    func beginJournal(for state: inout StateModel, keepHistory: Int) throws -> BatchLog
    /// Every kept history version, oldest first.
    func versions() throws -> [StateVersion]
    /// The state as it stood at history version `serial`, or nil when that version is not kept.
    func loadVersion(serial: Int) throws -> StateModel?
    /// Removes all but the newest `keepLast` versions (at least one stays); returns what went.
    @discardableResult
    func pruneHistory(keepLast: Int) throws -> [StateVersion]
}

extension StateBackend {
    public func loadWithDigest(expectedTarget: String?) throws -> (state: StateModel?, fileDigest: String?) {
        (try load(expectedTarget: expectedTarget), nil)
    }

    public func copySnapshot(digest: String, to path: String) throws -> Bool { false }

    public func write(_ state: inout StateModel, keepHistory: Int, splicing layout: StateFileLayout?) throws -> String? {
        try write(&state, keepHistory: keepHistory)
        return nil
    }
}

/// The open per-batch log of one run (see `StateBackend`).
public protocol StateBatchLog: AnyObject {
    /// Applies `changes` to `state` and advances its serial once they are durable; on failure
    /// `state` and the log are as they were.
    func append(_ changes: [StateChange], to state: inout StateModel) throws
    func close()
}

/// One kept history version: its serial, when it was written (`yyyyMMdd'T'HHmmss.SSS'Z'`, UTC) and
/// where it is (a file path, or the PostgreSQL table and target).
public struct StateVersion: Sendable, Equatable {
    public var serial: Int
    public var timestamp: String
    public var location: String

    public init(serial: Int, timestamp: String, location: String) {
        self.serial = serial
        self.timestamp = timestamp
        self.location = location
    }
}
