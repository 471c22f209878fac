import Foundation
import Manifest
import Plan
import ReconCore
import State

/// `drift`: refresh only, compared with the state. Reads no repo and writes nothing to the base or the state.
public struct DriftRunner {
    public var manifestDirectory: String
    public var statePath: String
    public var environment: [String: String]
    /// `drift --full` (or `--refresh=full`): read every record even when the no-op seal still holds.
    public var fullRefresh = false

    /// A drift check and where its history went: `runID` nil when none was written, `historyNote` says why.
    public struct Outcome {
        public var report: DriftReport
        public var runID: String?
        public var historyNote: String?
    }

    public init(manifestDirectory: String, statePath: String = StateStore.defaultPath, environment: [String: String]) {
        self.manifestDirectory = manifestDirectory
        self.statePath = statePath
        self.environment = environment
    }

    /// The check alone, recorded nowhere.
    public func run() throws -> DriftReport {
        try check(recordingIn: nil).report
    }

    /// No state is an error naming where it looked: a drift check that finds nothing to compare must not pass.
    /// With `layout`, a check that got as far as the base is recorded as a run with operation `drift` (no lock
    /// taken), finished with its counts or as failed; bad manifests or no state write nothing. A history that
    /// cannot be written does not fail the check: `historyNote` says so.
    public func check(recordingIn layout: RunLayout?) throws -> Outcome {
        var manifest = try ManifestLoader().load(directory: manifestDirectory)
        let statePath = try TargetSelection.apply(to: &manifest, environment: environment, statePath: self.statePath)
        let backend = try StateBackendChoice.resolve(manifest, statePath: statePath, environment: environment)
        let gate = layout.flatMap { NoChangeSealGate(kind: .drift, manifest: manifest, backend: backend, stateDirectory: $0.stateDirectory) }
        // Opened early only for the seal, and quietly: a provider that cannot open fails where it always did.
        let early = gate == nil ? nil : try? BaseConnector.open(manifest, environment: environment, statePath: statePath)
        if let gate, let early, !fullRefresh, let seal = gate.check(provider: early), let unmanaged = Self.unmanaged(seal.payload) {
            var report = DriftReport(target: manifest.target.identifier)
            report.unmanaged = unmanaged
            return try recorded(manifest, backend: backend, layout: layout) { report }
        }
        let before = early.flatMap { gate?.before(provider: $0) }
        guard let state = try backend.store.load(expectedTarget: manifest.target.identifier) else {
            throw ReconError("\(backend.noStateMessage): nothing was applied from here, so there is nothing to compare the base with",
                             hint: StateBackendChoice.sharedStateHint)
        }
        try MissingBaseCheck.check(manifest, state: state, statePath: backend.location)
        return try recorded(manifest, backend: backend, layout: layout) {
            let provider = try early ?? BaseConnector.open(manifest, environment: environment, statePath: statePath)
            let remote = try provider.refresh(manifest, state: state, statePath: backend.location)
            let report = DriftDetector.detect(manifest: manifest, state: state, remote: remote)
            if report.isEmpty {
                gate?.seal(before, repoCommits: [:], payload: Self.payload(report.unmanaged))
            } else {
                gate?.unseal()
            }
            return report
        }
    }

    /// Runs `detect` recorded as a drift run in `layout`'s history (when given): finished with its counts, or failed.
    private func recorded(_ manifest: Manifest, backend: StateBackendChoice, layout: RunLayout?,
                          detect: () throws -> DriftReport) throws -> Outcome {
        var note: String?
        var ledger: (any RunWriter)?
        // The run store of the state: a drift check in one clone is in every clone's history.
        let runs = layout.map { backend.runStore(layout: $0) }
        if let runs {
            do {
                ledger = try runs.start(operation: .drift, planDigest: "", target: manifest.target.identifier, leaseID: nil)
            } catch {
                note = "the drift check was not recorded in \(runs.location): \(error)"
            }
        }
        let report: DriftReport
        do {
            report = try detect()
        } catch {
            try? ledger?.finish(.failed, error: "\(error)")
            throw error
        }
        if let ledger, let layout {
            do {
                try ledger.finish(.succeeded, drift: DriftCounts(report, tables: manifest.tables.map(\.name)))
                _ = try RetentionPruner(policy: manifest.retention, layout: layout, history: nil, runs: runs).pruneDriftChecks()
            } catch {
                note = "the drift check \(ledger.id) was not fully recorded: \(error)"
            }
        }
        return Outcome(report: report, runID: ledger?.id, historyNote: note)
    }

    /// The part of an empty report that depends on the records, as the seal keeps it.
    private static func payload(_ unmanaged: [String: Int]) -> String {
        JSONValue.object(unmanaged.mapValues { .number(Double($0)) }).canonicalString()
    }

    private static func unmanaged(_ payload: String) -> [String: Int]? {
        guard let object = (try? JSONParser.parse(payload))?.objectValue else { return nil }
        var counts: [String: Int] = [:]
        for (table, value) in object {
            guard let count = value.intValue, count >= 0 else { return nil }
            counts[table] = count
        }
        return counts
    }
}
