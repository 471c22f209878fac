/// Where in a run a hook runs. A closed set: the keys of `hooks:`.
public enum HookPoint: String, Sendable, CaseIterable {
    case prePlan = "pre_plan"
    case postPlan = "post_plan"
    case preApply = "pre_apply"
    case postApply = "post_apply"
    case onFailure = "on_failure"

    /// A failing hook at a `pre_` point stops the run; elsewhere it is a warning.
    public var stopsRun: Bool { self == .prePlan || self == .preApply }
}
