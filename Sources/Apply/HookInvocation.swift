import Manifest

/// The facts of the run a hook is told about, and the one rule for the environment it gets:
/// a few variables of recon's own, the run's `RECON_*`, and only what the hook names in `env:`.
public struct HookInvocation: Sendable {
    /// `RECON_OPERATION`. A closed set.
    public enum Operation: String, Sendable {
        case plan, apply, rollback
    }

    public var operation: Operation
    /// The apply's run id; nil while planning (a plan is not a run).
    public var runID: String?
    /// The plan file the hook may read; nil before there is a plan.
    public var planFile: String?
    /// The plan's `summary` as JSON, the shape the plan file has; nil before there is a plan.
    public var summary: String?
    public var target: String

    public init(operation: Operation, runID: String? = nil, planFile: String? = nil, summary: String? = nil, target: String) {
        self.operation = operation
        self.runID = runID
        self.planFile = planFile
        self.summary = summary
        self.target = target
    }

    /// Passed from recon's environment to every hook; `LC_*` too.
    static let inherited = ["PATH", "HOME", "LANG", "TZ"]

    /// Exactly what the hook runs with. Unset facts are empty strings, so a hook can tell "none" from a typo.
    func environment(for hook: HookSpec, from parent: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in parent where Self.inherited.contains(name) || name.hasPrefix("LC_") {
            result[name] = value
        }
        for name in hook.env.map(\.value) {
            if let value = parent[name] { result[name] = value }
        }
        result["RECON_HOOK"] = hook.point.rawValue
        result["RECON_OPERATION"] = operation.rawValue
        result["RECON_RUN_ID"] = runID ?? ""
        result["RECON_PLAN_FILE"] = planFile ?? ""
        result["RECON_SUMMARY"] = summary ?? ""
        result["RECON_TARGET"] = target
        return result
    }
}
