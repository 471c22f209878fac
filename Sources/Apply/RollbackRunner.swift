import Foundation
import Manifest
import Plan
import ReconCore
import Remote
import State

/// `rollback RUN`: reads what the run committed (its outcomes, joined to its plan for the values written) and
/// its backup, refreshes, and makes the plan that undoes the run.
public struct RollbackRunner {
    public var runsDirectory: String
    public var manifestDirectory: String
    public var statePath: String
    public var environment: [String: String]

    public init(runsDirectory: String = "state/runs", manifestDirectory: String, statePath: String = StateStore.defaultPath,
                environment: [String: String]) {
        self.runsDirectory = runsDirectory
        self.manifestDirectory = manifestDirectory
        self.statePath = statePath
        self.environment = environment
    }

    /// `state` is the state the caller read under the same lock (apply's preflight), so it is not read and held twice.
    public func run(runID: String, state loaded: StateModel? = nil) throws -> Plan {
        guard RunID.isValid(runID) else {
            throw ReconError("'\(runID)' is not a run id", hint: "run ids look like 20261123T041500Z-1a2b3c; 'recon runs' lists them")
        }
        var manifest = try ManifestLoader().load(directory: manifestDirectory)
        let statePath = try TargetSelection.apply(to: &manifest, environment: environment, statePath: self.statePath)
        let backend = try StateBackendChoice.resolve(manifest, statePath: statePath, environment: environment)
        // The run folders this runner was given beside local state; the state's own schema for PostgreSQL.
        let runs: any RunStore
        if case .postgres(let store) = backend.place { runs = PostgresRunStore(store) } else { runs = LocalRunStore(runsDirectory: runsDirectory) }
        if let record = try? runs.record(runID), record.operation == .drift {
            throw ReconError("run '\(runID)' is a drift check: it only read the base, so there is nothing to roll back",
                             hint: "'recon runs' lists the apply and rollback runs that can be rolled back")
        }
        guard let planBytes = try runs.file(runID, .plan) else {
            throw ReconError("no run '\(runID)' in \(runs.location)",
                             hint: Suggestion.didYouMean(runID, in: runs.ids()) ?? "'recon runs' lists the runs that can be rolled back")
        }
        guard let beforeBytes = try runs.file(runID, .beforeImages) else {
            throw ReconError("run '\(runID)' has no backup (it was pruned, or the run stopped before its backup was written)",
                             hint: "a run without a backup cannot be rolled back")
        }
        let runPlan: Plan
        do {
            runPlan = try PlanFile.decode(planBytes)
        } catch {
            throw ReconError("\(runs.describe(runID, .plan)): \(error.message)", hint: error.hint)
        }
        let before = try RunBackup.readRecords(beforeBytes, path: runs.describe(runID, .beforeImages))
        guard runPlan.target == manifest.target.identifier else {
            throw ReconError("run '\(runID)' applied to \(runPlan.target), but the manifests target \(manifest.target.identifier)")
        }
        let (committed, schemaApplied) = try Self.committed(runPlan, record: runs.record(runID), outcomes: runs.entries(runID).outcomes)
        // The prior state's values of what the run committed; of the rest, ids only (for link cells): a whole second state is not held.
        let prior = try runs.priorState(runID, valuesOf: Dictionary(grouping: committed, by: \.table).mapValues { Set($0.map(\.key)) })
        guard let state = try loaded ?? backend.store.load(expectedTarget: manifest.target.identifier) else {
            throw ReconError("there is no state in \(backend.location), so nothing from run '\(runID)' can be found to roll back")
        }
        let provider = try BaseConnector.open(manifest, environment: environment, statePath: statePath)
        let remote = try provider.refresh(manifest, state: state, statePath: backend.location)
        return RollbackPlanner(runID: runID, committed: committed, schemaChanges: schemaApplied ? runPlan.schemaChanges : [],
                               before: before, priorState: prior, manifest: manifest, state: state, remote: remote).plan()
    }

    /// The plan's record changes whose outcome is `ok`, carrying the record id the outcome names (a create's id is
    /// known only there), and whether the schema phase finished. What the plan meant but the run never did is left out.
    static func committed(_ plan: Plan, record: RunRecord, outcomes: [EntityOutcome]) -> (changes: [RecordChange], schemaApplied: Bool) {
        var done: [String: [String: EntityOutcome]] = [:]
        for outcome in outcomes where outcome.status == .ok {
            done[outcome.table, default: [:]][outcome.key] = outcome
        }
        var changes: [RecordChange] = []
        for var change in plan.recordChanges {
            guard let outcome = done[change.table]?[change.key] else { continue }
            // A create whose upsert landed on a record made after preflight updated it: undone as an update.
            if outcome.action == .update, change.action == .create || change.action == .recreate {
                change.action = .update
            } else if outcome.action != change.action {
                continue
            }
            change.remoteID = outcome.recordID ?? change.remoteID
            changes.append(change)
        }
        let schemaPhase = record.phases.firstIndex { $0.name == ApplyPhase.schema.rawValue }
        let schemaApplied = schemaPhase.map { $0 < record.phases.count - 1 } ?? false  // a later phase began
        return (changes, schemaApplied)
    }
}
