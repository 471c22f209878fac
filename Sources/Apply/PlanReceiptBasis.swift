import Foundation
import Manifest
import Plan
import Remote
import State

/// The plan side of a receipt (issue 12): facts taken before `recon plan -out` reads anything (so a run or a state
/// write racing the plan breaks the receipt), then the receipt written once the plan file is saved. Only a local
/// state has one: a PostgreSQL state has no cheap digest yet.
public struct PlanReceiptBasis {
    var stateDirectory: String
    var stateDigest: String
    var lastRun: String

    /// Nil (no receipt) when the manifests do not load, the state is not local, or its journal holds batches.
    public static func take(manifestDirectory: String, statePath: String, stateDirectory: String,
                            environment: [String: String]) -> PlanReceiptBasis? {
        guard var manifest = try? ManifestLoader().load(directory: manifestDirectory),
              let path = try? TargetSelection.apply(to: &manifest, environment: environment, statePath: statePath),
              let backend = try? StateBackendChoice.resolve(manifest, statePath: path, environment: environment),
              case .local(let store) = backend.place,
              let digest = LocalStateFacts.stateDigest(store, whenMissing: "absent") else { return nil }
        let runs = backend.runStore(layout: RunLayout(stateDirectory: stateDirectory))
        return PlanReceiptBasis(stateDirectory: stateDirectory, stateDigest: digest, lastRun: LocalStateFacts.newestRun(runs))
    }

    /// Writes the receipt of `outcome`'s plan, saved with `digest` (and `bodyBytes`, `PlanFile.save`'s). None for a plan the no-op seal answered (nothing
    /// was read), a rollback plan, a plan that adopts a table (apply reads all its rows again anyway), or when a
    /// repo is read from its working tree: its files are not pinned by a commit.
    public func issue(for outcome: PlanRunner.Outcome, digest: String, bodyBytes: String?) {
        let plan = outcome.plan
        let adopts = plan.schemaChanges.contains { if case .adoptTable = $0 { true } else { false } }
        guard !outcome.sealed, plan.rollbackOf == nil, !adopts, !outcome.manifest.repos.contains(where: \.worktree) else { return }
        let snapshot = outcome.refreshed.snapshot
        var named: [String: Set<String>] = [:]
        for change in plan.recordChanges { if let id = change.remoteID { named[change.table, default: []].insert(id) } }
        var records: [String: [String: RemoteRecord]] = [:]
        for (table, ids) in named {
            for record in snapshot.records[table] ?? [] where ids.contains(record.id) { records[table, default: [:]][record.id] = record }
        }
        let receipt = PlanReceipt(
            toolIdentity: NoChangeSeal.toolIdentity, planDigest: digest, target: plan.target, manifestDigest: plan.manifestDigest,
            lineage: plan.lineage, serial: plan.serial, repoCommits: plan.repoCommits, schemaFingerprint: snapshot.schema.fingerprint,
            stateDigest: stateDigest, lastRun: lastRun,
            namedRecords: PlanReceipt.namedRecords(plan, manifest: outcome.manifest) { records[$0]?[$1] }, bodyBytes: bodyBytes)
        PlanReceiptStore(stateDirectory: stateDirectory).write(receipt)
    }
}
