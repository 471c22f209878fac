import Manifest
import Plan
import ReconCore
import Remote
import State

/// Applies one plan: checks it is not stale, backs up what it touches, executes it, and folds the
/// state. The caller holds the lock for the whole call.
public struct Applier {
    public struct Result: Sendable {
        /// `succeeded` or `cancelled`; a failure throws `ApplyFailure`.
        public var status: RunStatus
        public var counters: RunCounters
        public var schemaChanges: Int
        public var state: StateModel
        /// Stopped before its first write: neither the base nor the state file was touched.
        public var wroteNothing = false
        /// The SHA-256 of the state file the run wrote last (its journal folded), when the state is a file.
        public var stateDigest: String?
        /// The base's change mark right after the run made every table tracked (`ChangeTracking`), before its first
        /// record write; nil when the base tracks no change.
        public var trackedFrom: ChangeMark?
    }

    public var plan: Plan
    public var manifest: Manifest
    public var provider: any BaseProvider
    public var store: any StateBackend
    public var keepHistory: Int
    public weak var observer: (any ApplyObserver)?
    public var shouldStop: () -> Bool
    /// Throws when this run may no longer write (its lock was taken); asked before every batch and the fold.
    public var mayWrite: () throws -> Void

    public init(plan: Plan, manifest: Manifest, provider: any BaseProvider, store: any StateBackend,
                keepHistory: Int, observer: (any ApplyObserver)? = nil, shouldStop: @escaping () -> Bool = { false },
                mayWrite: @escaping () throws -> Void = {}) {
        self.plan = plan
        self.manifest = manifest
        self.provider = provider
        self.store = store
        self.keepHistory = keepHistory
        self.observer = observer
        self.shouldStop = shouldStop
        self.mayWrite = mayWrite
    }

    /// Refuses a stale plan and returns the before-images. `refreshed` is what planning read moments ago in
    /// this process under the same lock, so nothing can have moved; without it the state and the base are read
    /// again and every record the plan touches must still be as the plan saw it. Writes nothing.
    public func check(refreshed: Refreshed? = nil) throws -> Preflight {
        observer?.phaseStarted(.preflight, total: plan.preconditions.count)
        try Self.checkTablesDeclared(plan, manifest: manifest)
        let preflight: Preflight
        if let refreshed {
            let before = BeforeImages(plan: plan, snapshot: refreshed.snapshot)
            preflight = Preflight(before: before, state: refreshed.state, read: before.records, stateDigest: refreshed.stateDigest,
                                  stateLayout: refreshed.stateLayout)
        } else {
            let (existing, digest) = try store.loadWithDigest(expectedTarget: manifest.target.identifier)
            try MissingBaseCheck.check(manifest, state: existing, statePath: store.location)
            let reading = try ApplyPreflight.check(plan, manifest: manifest, state: existing, provider: provider)
            preflight = Preflight(before: reading.before, state: existing, read: reading.read, stateDigest: digest)
        }
        try AddressCheck.check(plan, before: preflight.before, manifest: manifest, state: preflight.state)
        return preflight
    }

    /// The executor works table by table in manifest order, so a change for another table would be silently
    /// skipped: refuse it instead. Forgetting a table no longer declared is the planner's own change.
    static func checkTablesDeclared(_ plan: Plan, manifest: Manifest) throws {
        // By index: only the refused changes are copied (filtering copied each of 100k, issue 12).
        let changes = plan.recordChanges
        let undeclared = changes.indices.filter { changes[$0].action != .forget && manifest.table(named: changes[$0].table) == nil }
            .map { changes[$0] }
        guard !undeclared.isEmpty else { return }
        throw PlanRefusal(.undeclaredTable, reasons: undeclared.map {
            "\($0.table) \($0.key): \($0.action.rawValue) for table '\($0.table)', which is not declared in the manifests"
        })
    }

    /// What a passed preflight hands to the run: the before-images and the state as loaded (under the lock).
    public struct Preflight: Sendable {
        public var before: BeforeImages
        public var state: StateModel?
        /// Table → record id → every base record preflight read (what the plan writes, fingerprints or names).
        public var read: [String: [String: RemoteRecord]]
        /// The SHA-256 of the state file `state` is exactly, when it is: the backup copies that file.
        public var stateDigest: String?
        /// Where that file's records are, when the state write may copy the ones the run leaves as loaded.
        var stateLayout: StateFileLayout?
    }

    /// Backs up to `runDirectory` (`state/runs/<run-id>`), executes, and folds the state.
    public func run(_ preflight: Preflight, runDirectory: String) throws -> Result {
        try run(preflight, backup: RunDirectoryBackup(directory: runDirectory))
    }

    /// Backs up to `backup` (the run's folder or its PostgreSQL rows), executes, and folds the state.
    /// `planFile` is the run's plan file when the caller has one already (the saved file, or the one its hooks were given);
    /// it is let go once the backup holds it.
    /// A run stopped before its first write leaves the state file as it was, so a reviewed plan stays applicable.
    public func run(_ preflight: Preflight, backup: any RunBackupTarget, planFile: RunPlanFile? = nil) throws -> Result {
        let existing = preflight.state
        let before = preflight.before
        var state = existing ?? StateStore.newState(target: manifest.target.identifier)
        if shouldStop() { return Result(status: .cancelled, counters: RunCounters(), schemaChanges: 0, state: state, wroteNothing: true) }

        observer?.phaseStarted(.backup, total: 0)
        let planFile = planFile ?? RunPlanFile(made: plan)
        try backup.writeBackup(plan: planFile, before: before,
                               priorState: existing.map { PriorState(state: $0, store: store, fileDigest: preflight.stateDigest) })
        planFile.release()

        let journal = try store.beginJournal(for: &state, keepHistory: keepHistory)
        // A run kept in PostgreSQL commits each batch's outcomes in the batch's own state transaction.
        (journal as? PostgresStateLog)?.companion = backup.batchCompanion
        let serialBefore = state.serial
        var kept = before
        let executor = ApplyExecutor(plan: plan, manifest: manifest, provider: provider, state: state, journal: journal,
                                     observer: observer, shouldStop: shouldStop, mayWrite: mayWrite,
                                     keepBeforeImages: { table, records in
                                         for record in records { kept.records[table, default: [:]][record.id] = record }
                                         try backup.writeBeforeImages(kept)
                                     })
        var status = RunStatus.succeeded
        var failure: Error?
        do {
            try executor.run()
        } catch ApplyExecutor.Stop.cancelled {
            status = .cancelled
        } catch {
            status = .failed
            failure = error
        }
        journal.close()
        state = executor.state
        if status == .cancelled, state.serial == serialBefore {
            // Stopped before the first batch: nothing to fold, and folding would move the serial.
            return Result(status: status, counters: executor.counters, schemaChanges: 0, state: state, wroteNothing: true)
        }
        do {
            try mayWrite()
        } catch {
            // The lock was taken: the journal keeps what this run committed, and the new holder folds it.
            throw ApplyFailure(underlying: failure ?? error, counters: executor.counters)
        }
        // Fold the journal into the snapshot: one write per run, not per batch, encoding only what the run changed when
        // the loaded file can be copied from.
        let written: String?
        do {
            written = try store.write(&state, keepHistory: keepHistory, splicing: preflight.stateLayout)
        } catch {
            // The batch failure is the cause; the failed fold is the consequence, shown after it.
            guard let failure else { throw error }
            throw ApplyFailure(underlying: failure, counters: executor.counters, stateWriteError: error)
        }
        if let failure { throw ApplyFailure(underlying: failure, counters: executor.counters) }
        return Result(status: status, counters: executor.counters, schemaChanges: executor.schemaChanges, state: state,
                      stateDigest: written, trackedFrom: executor.trackedFrom)
    }
}

/// A run that stopped on an error after writing some batches; the state holds what was done.
public struct ApplyFailure: Error, CustomStringConvertible {
    /// The first failure: what stopped the run.
    public var underlying: Error
    public var counters: RunCounters
    /// Set when folding the state after the failure failed too; the journal still holds every batch.
    public var stateWriteError: Error?

    public init(underlying: Error, counters: RunCounters, stateWriteError: Error? = nil) {
        self.underlying = underlying
        self.counters = counters
        self.stateWriteError = stateWriteError
    }

    public var description: String {
        let fold = stateWriteError.map { "\nThen the state file could not be written either: \($0)" } ?? ""
        let record = stateWriteError == nil ? "the state records exactly that" : "the state journal records exactly that"
        return "\(underlying)\(fold)\nThe apply stopped after \(counters.summaryLine); \(record). Run 'recon plan' to see what is left."
    }
}
