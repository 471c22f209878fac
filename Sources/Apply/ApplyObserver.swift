import Plan

/// What an apply reports as it goes; the ledger and the progress line listen.
public protocol ApplyObserver: AnyObject {
    func phaseStarted(_ phase: ApplyPhase, total: Int)
    func batchFinished(_ phase: ApplyPhase, done: Int, total: Int)
    func recordFinished(_ outcome: RecordOutcome)
    func warning(_ message: String)
}

public enum ApplyPhase: String, Sendable, CaseIterable {
    case preflight, backup, schema, creates, updates, links, deletes, state
}

/// How one record change ended.
public struct RecordOutcome: Sendable, Equatable {
    public enum Status: String, Sendable { case ok, skipped, failed }

    public var table: String
    public var key: String
    public var action: RecordAction
    public var recordID: String?
    public var status: Status
    public var message: String?

    public init(table: String, key: String, action: RecordAction, recordID: String?, status: Status, message: String? = nil) {
        self.table = table
        self.key = key
        self.action = action
        self.recordID = recordID
        self.status = status
        self.message = message
    }
}

/// Counters of a finished (or stopped) apply.
public struct ApplyCounters: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var deleted = 0
    public var archived = 0
    public var skipped = 0
    public var stateOnly = 0
    public var schema = 0
    public var batches = 0

    public init() {}

    public var line: String {
        var parts = ["\(created) added", "\(updated) changed", "\(deleted) deleted"]
        if archived > 0 { parts.append("\(archived) archived") }
        if schema > 0 { parts.append("\(schema) schema change\(schema == 1 ? "" : "s")") }
        if skipped > 0 { parts.append("\(skipped) skipped") }
        return parts.joined(separator: ", ")
    }
}
