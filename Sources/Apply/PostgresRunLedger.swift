import Foundation
import ReconCore
import State

/// `RunLedger`'s twin for a run kept in PostgreSQL: the same record, counters and phases, but outcomes are
/// staged and commit with the batch's state rows in one transaction (`PostgresRunJournal`), so a kill leaves
/// the ledger, the outcomes and the state agreeing. Intents, phases and the end are written on their own.
public final class PostgresRunLedger: RunWriter, @unchecked Sendable {
    private let lock = NSLock()
    private var current: RunRecord
    private let journal: PostgresRunJournal
    private var closed = false

    private init(record: RunRecord, journal: PostgresRunJournal) {
        self.current = record
        self.journal = journal
    }

    static func start(_ archive: PostgresRunArchive, operation: RunOperation, planDigest: String, target: String,
                      leaseID: String?, at date: Date = Date()) throws -> PostgresRunLedger {
        let date = UTCTimestamp.truncated(date)
        var record: RunRecord
        repeat {
            record = RunRecord(id: RunID.make(at: date), operation: operation, planDigest: planDigest, target: target,
                               leaseID: leaseID, started: date)
            RunLedger.stampOrigin(&record)
        } while try !archive.create(run: record.id, ledger: record.encoded())
        return PostgresRunLedger(record: record, journal: try archive.journal(run: record.id))
    }

    public var id: String { lock.withLock { current.id } }
    public var record: RunRecord { lock.withLock { current } }
    public var batchCompanion: PostgresRunJournal? { journal }

    public func beginPhase(_ name: String, at date: Date) throws {
        let date = UTCTimestamp.truncated(date)
        try update(at: date, flush: true) { record in
            RunLedger.closeOpenPhase(&record, at: date)
            record.phases.append(RunRecord.Phase(name: name, started: date))
        }
    }

    public func endPhase(at date: Date) throws {
        let date = UTCTimestamp.truncated(date)
        try update(at: date, flush: true) { RunLedger.closeOpenPhase(&$0, at: date) }
    }

    public func record(_ outcomes: [EntityOutcome]) throws {
        guard !outcomes.isEmpty else { return }
        try lock.withLock {
            guard !closed else { throw ReconError("run \(current.id) is finished; its outcomes are closed") }
            journal.stage(lines: outcomes.map { Array($0.line().dropLast()) })
            for outcome in outcomes { current.counters.count(outcome) }
        }
    }

    public func record(_ intent: BatchIntent) throws {
        try lock.withLock {
            guard !closed else { throw ReconError("run \(current.id) is finished; its outcomes are closed") }
            journal.stage(lines: [Array(intent.line().dropLast())])
            try journal.flush()
        }
    }

    /// Staged only: it commits with the batch's state rows.
    public func batchCompleted(countingBatch: Bool, at date: Date) throws {
        try update(at: date, flush: false) { if countingBatch { $0.counters.batches += 1 } }
    }

    public func warn(_ message: String) {
        lock.withLock { current.warnings.append(message) }
    }

    public var folder: String? { nil }

    public func finish(_ status: RunStatus, error: String?, drift: DriftCounts?, at date: Date) throws {
        let date = UTCTimestamp.truncated(date)
        precondition(status.isFinal && status != .interrupted, "a run finishes with a final, stored status")
        defer {
            lock.withLock { closed = true }
            journal.close()
        }
        try update(at: date, flush: true) { record in
            RunLedger.closeOpenPhase(&record, at: date)
            record.status = status == .succeeded && !record.warnings.isEmpty ? .succeededWithWarnings : status
            record.error = error
            record.drift = drift ?? record.drift
            record.finished = date
        }
    }

    /// Before the end it goes with the journal; after it (the journal is closed) on a connection of its own.
    public func record(hook result: HookResult, at date: Date) throws {
        let finished = lock.withLock { current.status.isFinal }
        guard finished else { return try update(at: date, flush: true) { $0.hooks.append(result) } }
        try lock.withLock {
            var next = current
            next.hooks.append(result)
            try journal.archive.replaceLedger(run: next.id, next.encoded())
            current = next
        }
    }

    public func writeBackup(plan: RunPlanFile, before: BeforeImages, priorState: PriorState?) throws {
        var files: [(name: String, bytes: [UInt8])] = [(RunFile.plan.rawValue, try plan.bytes), (RunFile.beforeImages.rawValue, RunBackup.encode(before))]
        if let priorState { files.append((RunFile.priorState.rawValue, StateCodec.encode(priorState.state))) }
        try journal.archive.putFiles(run: id, files)
    }

    public func writeBeforeImages(_ before: BeforeImages) throws {
        try journal.archive.putFiles(run: id, [(RunFile.beforeImages.rawValue, RunBackup.encode(before))])
    }

    private func update(at date: Date, flush: Bool, _ change: (inout RunRecord) -> Void) throws {
        let date = UTCTimestamp.truncated(date)
        try lock.withLock {
            guard !current.status.isFinal else { throw ReconError("run \(current.id) is already finished") }
            var next = current
            change(&next)
            next.heartbeat = max(next.heartbeat, date)
            journal.stage(ledger: next.encoded())
            if flush { try journal.flush() }
            current = next
        }
    }
}
