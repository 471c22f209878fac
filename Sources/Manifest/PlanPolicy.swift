import ReconCore
import YAML

/// What the planner does when the remote moved on its own.
public struct PlanPolicy: Sendable, Equatable {
    public enum Drift: String, Sendable, CaseIterable {
        /// Write the desired value back (shown as drift).
        case restore
        /// Show the drift and leave the remote as it is.
        case report
        /// Accept the remote value into the state.
        case adopt
    }

    public enum Conflict: String, Sendable, CaseIterable {
        /// The manifest's value wins (shown as a conflict).
        case desired
        /// The plan fails until someone resolves the conflict.
        case fail
    }

    public var drift: Drift
    public var conflict: Conflict

    public static let `default` = PlanPolicy(drift: .restore, conflict: .desired)

    public init(drift: Drift, conflict: Conflict) {
        self.drift = drift
        self.conflict = conflict
    }
}

extension PlanPolicy {
    static func decode(_ node: Node, sink: DiagnosticSink) -> PlanPolicy {
        var policy = PlanPolicy.default
        guard let reader = MappingReader(node, context: "policy", sink: sink) else { return policy }
        reader.rejectUnknownKeys(allowed: ["drift", "conflict"])
        if let drift = reader.choice("drift", as: Drift.self) { policy.drift = drift.value }
        if let conflict = reader.choice("conflict", as: Conflict.self) { policy.conflict = conflict.value }
        return policy
    }
}
