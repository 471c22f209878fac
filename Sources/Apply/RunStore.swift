import State

/// Where a target's runs live: the run folders under `state/runs/` (`LocalRunStore`) or the state's
/// PostgreSQL schema (`PostgresRunStore`), so `runs`, `rollback`, `prune` and in-flight recovery read the
/// same runs from any clone. The read side is `listing`, `record`, `entries` and `file`.
public protocol RunStore: Sendable {
    /// Where the runs are, for messages: a folder, or the PostgreSQL schema and target.
    var location: String { get }
    /// Starts a run (status `running`) with a fresh id.
    func start(operation: RunOperation, planDigest: String, target: String, leaseID: String?) throws -> any RunWriter
    /// The runs newest first, interrupted ones told apart, and what could not be read.
    func listing() -> RunListing
    /// One run's ledger; throws naming the run when there is none.
    func record(_ id: String) throws -> RunRecord
    /// One run's outcomes and create intents, each in the order written.
    func entries(_ id: String) throws -> (outcomes: [EntityOutcome], intents: [BatchIntent])
    /// One of a run's files, or nil when it has none (never written, or pruned).
    func file(_ id: String, _ file: RunFile) throws -> [UInt8]?
    /// The state the run started from, as its backup keeps it; nil when it started from none. Only the records
    /// `valuesOf` names (table → keys) keep their values; the others carry their ids (a rollback needs no more).
    func priorState(_ id: String, valuesOf kept: [String: Set<String>]) throws -> StateModel?
    /// How a run's file is named in messages (a path, or the schema, target and run).
    func describe(_ id: String, _ file: RunFile) -> String
    /// The ids of the runs kept, for did-you-mean.
    func ids() -> [String]
    /// Removes a run whole.
    func remove(_ run: RunSummary) throws
    /// Removes a run's backup (before-images and prior state); its ledger and plan stay.
    func removeBackup(_ run: RunSummary) throws
    /// Finishes what a prune killed half way left behind.
    func removeLeftovers() throws
    /// A run whole, as stored (for `state migrate`).
    func export(_ id: String) throws -> RunExport
    /// Writes a run exported from another store; its id must be new here.
    func importRun(_ run: RunExport) throws
}

/// The files of a run beside its ledger and outcomes, named as in the run folder.
public enum RunFile: String, Sendable, CaseIterable {
    case plan = "plan.json"
    case beforeImages = "backup/before.json"
    case priorState = "backup/state.json"
}
