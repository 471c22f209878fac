/// A saved or fresh plan apply will not run, for a reason other than staleness. Names every offending change.
public struct PlanRefusal: Error, CustomStringConvertible, Sendable {
    /// Why the plan is refused: a closed set, each with its own advice.
    public enum Kind: Sendable {
        /// A change addresses a base record that holds another key than the state says.
        case misaddressed
        /// A change the planner would not make now from the manifests, the state and the base (an edited plan).
        case notDerivable
        /// A change for a table the manifests do not declare.
        case undeclaredTable
    }

    public var kind: Kind
    public var reasons: [String]

    public init(_ kind: Kind, reasons: [String]) {
        self.kind = kind
        self.reasons = reasons
    }

    public var description: String {
        let title = switch kind {
        case .misaddressed: "refusing to apply: the plan would write or delete records that hold another key than the state says"
        case .notDerivable: "refusing to apply: the plan holds changes the planner would not make now (the plan file was edited)"
        case .undeclaredTable: "refusing to apply: the plan holds changes for tables the manifests do not declare"
        }
        var lines = [title]
        lines += reasons.prefix(20).map { "  - \($0)" }
        if reasons.count > 20 { lines.append("  … and \(reasons.count - 20) more") }
        switch kind {
        case .misaddressed:
            lines.append("Nothing was written. The state maps these keys to the wrong records: restore the state from "
                + "state/history/ (or remove the entries), then plan again.")
        case .notDerivable, .undeclaredTable:
            lines.append("Nothing was written. Make a new plan with 'recon plan -out FILE', review it, and apply that.")
        }
        return lines.joined(separator: "\n")
    }
}
