import Plan

/// What an apply reports as it goes; the ledger and the progress line listen.
public protocol ApplyObserver: AnyObject {
    func phaseStarted(_ phase: ApplyPhase, total: Int)
    /// A batch reached the base and its state changes are about to be journaled: what the run has
    /// committed must be on record before the state says so, or a kill in between under-counts it.
    func batchWritten(_ phase: ApplyPhase)
    func batchFinished(_ phase: ApplyPhase, done: Int, total: Int)
    func recordFinished(_ outcome: EntityOutcome)
    func warning(_ message: String)
    /// A batch of creates or adoptions is about to be sent: on record (durably) before the base can hold it.
    func batchIntended(_ intent: BatchIntent)
    /// A hook of the run ended (docs/hooks.md).
    func hookFinished(_ result: HookResult)
}

extension ApplyObserver {
    public func batchWritten(_ phase: ApplyPhase) {}
    public func batchIntended(_ intent: BatchIntent) {}
    public func hookFinished(_ result: HookResult) {}
}

public enum ApplyPhase: String, Sendable, CaseIterable {
    case preflight, backup, schema, creates, updates, links, deletes, state
}

extension RunCounters {
    /// "3 added, 1 changed, 0 deleted", as apply's last line says it.
    public var summaryLine: String {
        var parts = ["\(created) added", "\(updated) changed", "\(deleted) deleted"]
        if archived > 0 { parts.append("\(archived) archived") }
        if adopted > 0 { parts.append("\(adopted) adopted") }
        if skipped > 0 { parts.append("\(skipped) skipped") }
        if failed > 0 { parts.append("\(failed) failed") }
        return parts.joined(separator: ", ")
    }
}
