import Plan

/// Writes what an apply reports into its run ledger, and passes it on to the view.
final class RunRecorder: ApplyObserver {
    private let ledger: any RunWriter
    private let forward: (any ApplyObserver)?
    private var pending: [EntityOutcome] = []
    private(set) var ledgerError: Error?

    init(ledger: any RunWriter, forward: (any ApplyObserver)?) {
        self.ledger = ledger
        self.forward = forward
    }

    func phaseStarted(_ phase: ApplyPhase, total: Int) {
        flush()
        keep { try ledger.beginPhase(phase.rawValue) }
        forward?.phaseStarted(phase, total: total)
    }

    /// The batch's outcomes and counters are made durable here, before its journal line, so the
    /// ledger never says less than the state: a kill after the journal line finds them on record.
    func batchWritten(_ phase: ApplyPhase) {
        flush()
        keep { try ledger.batchCompleted(countingBatch: phase != .state) }
        forward?.batchWritten(phase)
    }

    func batchFinished(_ phase: ApplyPhase, done: Int, total: Int) {
        forward?.batchFinished(phase, done: done, total: total)
    }

    func recordFinished(_ outcome: EntityOutcome) {
        pending.append(outcome)
        forward?.recordFinished(outcome)
    }

    func batchIntended(_ intent: BatchIntent) {
        flush()
        keep { try ledger.record(intent) }
        forward?.batchIntended(intent)
    }

    func hookFinished(_ result: HookResult) {
        keep { try ledger.record(hook: result) }
        forward?.hookFinished(result)
    }

    func warning(_ message: String) {
        ledger.warn(message)
        forward?.warning(message)
    }

    /// Outcomes go to the ledger in one append per batch, not one per record.
    func flush() {
        guard !pending.isEmpty else { return }
        let outcomes = pending
        pending = []
        keep { try ledger.record(outcomes) }
    }

    /// A ledger write that fails must not stop the apply (the state is what matters); it is reported at the end.
    private func keep(_ write: () throws -> Void) {
        do { try write() } catch { if ledgerError == nil { ledgerError = error } }
    }
}
