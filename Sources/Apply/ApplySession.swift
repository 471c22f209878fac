import Foundation
import Manifest
import Plan
import ReconCore
import Remote
import State

/// One apply run under a held lease: preflight, a run folder with its ledger, the applier, retention.
public struct ApplySession {
    public struct Outcome: Sendable {
        public var runID: String
        public var status: RunStatus
        public var counters: RunCounters
        public var schemaChanges: Int
        public var serial: Int
        public var pruned: RetentionPruner.Report?
        public var notes: [String]
        /// Cancelled before its first write: the base and the state file are as they were.
        public var wroteNothing = false
        /// How a saved plan was checked, and how long that took (part of preflight); nil when apply made the plan.
        public var planCheck: PlanCheck?
    }

    /// A saved plan is made again and compared (`rederive`), unless its receipt vouches for it (`receipt`, issue 12).
    public struct PlanCheck: Sendable {
        public enum Method: String, Sendable { case receipt, rederive }
        public var method: Method
        public var seconds: Double
    }

    public var manifest: Manifest
    public var layout: RunLayout
    public var statePath: String
    public var environment: [String: String]
    /// Records per batch, at most the provider's limit; nil for the provider's own.
    public var batchSize: Int?
    /// Where the manifests were read, so a saved rollback plan can be made again to check it.
    public var manifestDirectory: String?

    public init(manifest: Manifest, layout: RunLayout = RunLayout(), statePath: String = StateStore.defaultPath,
                environment: [String: String], batchSize: Int? = nil, manifestDirectory: String? = nil) {
        self.manifestDirectory = manifestDirectory
        self.manifest = manifest
        self.layout = layout
        self.statePath = statePath
        self.environment = environment
        self.batchSize = batchSize
    }

    /// Applies `plan`. Without `refreshed` (a saved plan), the plan is first made again and compared (`SavedPlanCheck`).
    /// Error findings refuse the plan unless `allow` names their codes (`CheckRefusal`), before any write.
    /// `file` holds the verified file `plan` was read from: the run keeps its bytes and digest instead of encoding again.
    public func apply(_ plan: Plan, refreshed: Refreshed? = nil, file: RunPlanFile? = nil, lease: any StateLock, cancellation: CancellationSignal,
                      observer: (any ApplyObserver)?, allow: Set<CheckCode> = []) throws -> Outcome {
        // The base chosen by --base-id / RECON_AIRTABLE_BASE, and the state file that goes with it.
        var manifest = self.manifest
        let statePath = try TargetSelection.apply(to: &manifest, environment: environment, statePath: self.statePath)
        let provider = try BaseConnector.open(manifest, environment: environment, batchSize: batchSize, statePath: statePath)
        let backend = try StateBackendChoice.resolve(manifest, statePath: statePath, environment: environment)
        let store = backend.store
        let runs = backend.runStore(layout: layout)
        var applier = Applier(plan: plan, manifest: manifest, provider: provider, store: store,
                              keepHistory: manifest.retention.stateVersionsKeepLast, observer: observer,
                              shouldStop: { cancellation.isCancelled }, mayWrite: { try lease.verify() })
        // A saved plan's receipt vouches for nothing once the plan is stale or applied (docs/state.md#plan-receipts).
        let receipt = refreshed == nil ? file?.digest : nil
        let forgetReceipt = { receipt.map { PlanReceiptStore(stateDirectory: layout.stateDirectory).remove(digest: $0) } }
        let preflight: Applier.Preflight
        var planCheck: PlanCheck?
        do {
            preflight = try applier.check(refreshed: refreshed)
            if refreshed == nil {
                planCheck = try checkSaved(plan, digest: file?.digest, manifest: manifest, preflight: preflight, backend: backend, runs: runs)
            }
        } catch let error where error is StalePlanError || error is PlanRefusal {
            forgetReceipt()
            throw error
        }
        try CheckRefusal.verify(plan, allowing: allow)
        // Encoded once, into the runs folder, when the runs are kept in files: the backup moves it into the run's folder.
        let encoded = try file ?? (runs as? LocalRunStore).map {
            try RunPlanFile(spooling: plan, in: $0.runsDirectory, bypassingCache: manifest.hooks.isEmpty)
        } ?? RunPlanFile(made: plan)
        let ledger = try runs.start(operation: plan.rollbackOf == nil ? .apply : .rollback, planDigest: encoded.digest,
                                    target: plan.target, leaseID: lease.id)
        let recorder = RunRecorder(ledger: ledger, forward: observer)
        applier.observer = recorder
        let hooks = RunHooks(manifest: manifest, environment: environment, plan: plan, planFile: encoded,
                             ledger: ledger, recorder: recorder)
        defer { hooks.removeTemporaryFolder() }
        do {
            try hooks.preApply()
        } catch {
            if cancellation.reason != nil {
                try ledger.finish(.cancelled, error: "cancelled while a pre_apply hook ran")
                return Outcome(runID: ledger.id, status: .cancelled, counters: RunCounters(), schemaChanges: 0,
                               serial: plan.serial, pruned: nil, notes: [], wroteNothing: true)
            }
            hooks.failed(error)
            throw error
        }
        let result: Applier.Result
        cancellation.startClock()
        do {
            result = try applier.run(preflight, backup: ledger, planFile: encoded)
            recorder.flush()
        } catch {
            recorder.flush()
            forgetReceipt()
            hooks.failed(error)
            throw error
        }
        if !result.wroteNothing { forgetReceipt() }
        if result.status == .succeeded { hooks.postApply() }
        var notes: [String] = []
        if let error = recorder.ledgerError { notes.append("the run ledger could not be fully written: \(error)") }
        try ledger.finish(result.status)
        let pruned = try? RetentionPruner(policy: manifest.retention, layout: layout, history: backend.localHistory, runs: runs)
            .prune(leaseID: lease.id)
        // What the next run may plan in O(changes) from (issue 12, goal 4): only after a whole-scope apply without a file.
        if case .local(let local) = backend.place {
            let baselines = DeltaBaselineGate(manifest: manifest, store: local, stateDirectory: layout.stateDirectory, runs: runs)
            if let refreshed, result.status == .succeeded, recorder.ledgerError == nil {
                baselines.record(plan: plan, refreshed: refreshed, state: result.state, stateDigest: result.stateDigest,
                                 trackedFrom: result.trackedFrom, provider: provider)
            } else {
                baselines.remove()
            }
        }
        return Outcome(runID: ledger.id, status: ledger.record.status, counters: result.counters,
                       schemaChanges: result.schemaChanges, serial: result.state.serial, pruned: pruned, notes: notes,
                       wroteNothing: result.wroteNothing, planCheck: planCheck)
    }

    /// A saved plan's receipt, when it vouches for the plan; else the plan made again and compared (`SavedPlanCheck`).
    private func checkSaved(_ plan: Plan, digest: String?, manifest: Manifest, preflight: Applier.Preflight,
                            backend: StateBackendChoice, runs: any RunStore) throws -> PlanCheck {
        let start = DispatchTime.now().uptimeNanoseconds
        let seconds = { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        if let digest, case .local(let store) = backend.place,
           PlanReceiptCheck(manifest: manifest, stateDirectory: layout.stateDirectory, store: store, runs: runs)
               .vouches(for: plan, digest: digest, preflight: preflight) {
            return PlanCheck(method: .receipt, seconds: seconds())
        }
        let rollback = manifestDirectory.map {
            RollbackRunner(runsDirectory: layout.runsDirectory, manifestDirectory: $0, statePath: self.statePath, environment: environment)
        }
        try SavedPlanCheck(manifest: manifest, stateDirectory: layout.stateDirectory, rollback: rollback, runs: runs)
            .verify(plan, preflight: preflight)
        return PlanCheck(method: .rederive, seconds: seconds())
    }
}
