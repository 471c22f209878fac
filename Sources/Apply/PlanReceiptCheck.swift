import Extract
import Foundation
import Manifest
import Plan
import Remote
import State

/// The apply side of a receipt (issue 12): whether a saved plan may skip `SavedPlanCheck`'s re-derivation because
/// this build made it here from exactly what apply sees now. Runs after `ApplyPreflight.check` passed (target,
/// manifests, lineage and serial, fingerprints, keys taken). Any fact missing or different means re-derivation.
struct PlanReceiptCheck {
    var manifest: Manifest
    var stateDirectory: String
    var store: StateStore
    var runs: any RunStore

    /// True only when a receipt for `digest` verifies, names this build and the plan's own facts, and the state file,
    /// the run history, the repos' commits, the base's schema and the records the plan names are as planning saw them.
    func vouches(for plan: Plan, digest: String, preflight: Applier.Preflight) -> Bool {
        guard plan.rollbackOf == nil, !plan.schemaChanges.contains(where: { if case .adoptTable = $0 { true } else { false } }),
              let receipt = PlanReceiptStore(stateDirectory: stateDirectory).read(digest: digest),
              receipt.toolIdentity == NoChangeSeal.toolIdentity, receipt.matches(plan, digest: digest),
              LocalStateFacts.stateDigest(store, whenMissing: "absent") == receipt.stateDigest,
              LocalStateFacts.newestRun(runs) == receipt.lastRun,
              let commits = try? RepoCommits.resolve(manifest, stateDirectory: stateDirectory), commits == plan.repoCommits,
              preflight.before.schema.fingerprint == receipt.schemaFingerprint else { return false }
        return PlanReceipt.namedRecords(plan, manifest: manifest) { preflight.read[$0]?[$1] } == receipt.namedRecords
    }
}
