import Foundation
import Manifest
import Plan
import ReconCore

/// `pre_plan` and `post_plan` around a plan made by `recon plan`, or by `recon apply` without a plan file.
/// A plan is not a run: `RECON_RUN_ID` is empty, and results go only to `onResult` (no ledger).
public struct PlanHooks {
    private let runner: HookRunner
    private let operation: HookInvocation.Operation
    private let target: String

    public init(manifest: Manifest, environment: [String: String], operation: HookInvocation.Operation,
                onResult: ((HookResult) -> Void)? = nil) {
        runner = HookRunner(manifest: manifest, environment: environment, onResult: onResult)
        self.operation = operation
        // The base --base-id or RECON_AIRTABLE_BASE chose, as the plan will name it.
        target = (try? TargetSelection.resolve(manifest.target, environment: environment).target.identifier) ?? manifest.target.identifier
    }

    /// Throws the first failure, before anything is extracted or read.
    public func prePlan() throws {
        try runner.run(.prePlan, HookInvocation(operation: operation, target: target))
    }

    /// Runs `post_plan` with the plan saved at `savedAt`, or else in a private temp file removed after;
    /// returns the failures as warnings.
    public func postPlan(_ plan: Plan, savedAt: String?) -> [String] {
        guard runner.has(.postPlan) else { return [] }
        var path = savedAt.map { $0.hasPrefix("/") ? $0 : runner.projectDirectory + "/" + $0 }
        var temporary: String?
        if path == nil {
            let file = (NSTemporaryDirectory() as NSString).appendingPathComponent("recon-plan-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json")
            do {
                try PrivateFile.write(PlanFile.encoded(plan).bytes, to: file)
                temporary = file
                path = file
            } catch {
                return ["the plan could not be written for the post_plan hooks: \(error)"]
            }
        }
        defer { if let temporary { unlink(temporary) } }
        let invocation = HookInvocation(operation: operation, planFile: path, summary: plan.summary.json.canonicalString(),
                                        target: plan.target)
        return (try? runner.run(.postPlan, invocation)) ?? []
    }
}
