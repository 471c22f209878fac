import Foundation
import Plan
import State

/// Where an apply writes its backup before the first write to the base (a run folder, or PostgreSQL).
public protocol RunBackupTarget {
    /// The plan file, the before-images and the prior state.
    func writeBackup(plan: RunPlanFile, before: BeforeImages, priorState: PriorState?) throws
    /// Replaces the before-images (records added during the run).
    func writeBeforeImages(_ before: BeforeImages) throws
    /// The PostgreSQL run journal that commits with each state batch; nil when the run is kept in files.
    var batchCompanion: PostgresRunJournal? { get }
}

/// The writer of one run's ledger and outcomes (`RunLedger` for files, `PostgresRunLedger`). Safe to use
/// from several threads.
public protocol RunWriter: AnyObject, Sendable, RunBackupTarget {
    var id: String { get }
    /// The ledger as it stands in memory (what the next write stores).
    var record: RunRecord { get }
    func beginPhase(_ name: String, at date: Date) throws
    func endPhase(at date: Date) throws
    /// Appends outcomes; durable at the next `batchCompleted` (files) or with the batch's state (PostgreSQL).
    func record(_ outcomes: [EntityOutcome]) throws
    /// Writes a create intent durably before its batch is sent (write-ahead).
    func record(_ intent: BatchIntent) throws
    func batchCompleted(countingBatch: Bool, at date: Date) throws
    func warn(_ message: String)
    func finish(_ status: RunStatus, error: String?, drift: DriftCounts?, at date: Date) throws
    /// A hook's result; also after `finish` (`on_failure` runs once the failure is on record).
    func record(hook result: HookResult, at date: Date) throws
    /// The run's folder on disk; nil when the run is kept in PostgreSQL.
    var folder: String? { get }
}

extension RunWriter {
    public func beginPhase(_ name: String) throws { try beginPhase(name, at: Date()) }
    public func batchCompleted(countingBatch: Bool = true) throws { try batchCompleted(countingBatch: countingBatch, at: Date()) }
    public func finish(_ status: RunStatus, error: String? = nil, drift: DriftCounts? = nil) throws {
        try finish(status, error: error, drift: drift, at: Date())
    }
    public func record(hook result: HookResult) throws { try record(hook: result, at: Date()) }
}

/// A run folder as a backup target, for callers that name the folder themselves.
struct RunDirectoryBackup: RunBackupTarget {
    var directory: String

    func writeBackup(plan: RunPlanFile, before: BeforeImages, priorState: PriorState?) throws {
        try RunBackup.write(plan: plan, before: before, priorState: priorState, to: directory)
    }

    func writeBeforeImages(_ before: BeforeImages) throws {
        try RunBackup.writeBeforeImages(before, to: directory)
    }

    var batchCompanion: PostgresRunJournal? { nil }
}

extension RunLedger: RunWriter {
    public func writeBackup(plan: RunPlanFile, before: BeforeImages, priorState: PriorState?) throws {
        try RunBackup.write(plan: plan, before: before, priorState: priorState, to: directory)
    }

    public func writeBeforeImages(_ before: BeforeImages) throws {
        try RunBackup.writeBeforeImages(before, to: directory)
    }

    public var batchCompanion: PostgresRunJournal? { nil }
    public var folder: String? { directory }
}
