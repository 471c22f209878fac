import ReconCore

/// A saved plan that no longer describes the base or the state: it must be made again.
public struct StalePlanError: Error, CustomStringConvertible, Sendable {
    public var reasons: [String]

    public var description: String {
        var lines = ["the plan is stale: \(reasons.count == 1 ? "something" : "\(reasons.count) things") moved since it was made"]
        lines += reasons.prefix(20).map { "  - \($0)" }
        if reasons.count > 20 { lines.append("  … and \(reasons.count - 20) more") }
        lines.append("Nothing was written. Make a new plan with 'recon plan -out FILE', review it, and apply that.")
        return lines.joined(separator: "\n")
    }
}
