import Manifest
import Plan

/// Apply refuses a plan with error findings that `--allow` does not name: nothing is written, no run is recorded.
public struct CheckRefusal: Error, CustomStringConvertible, Sendable {
    public var findings: [CheckFinding]

    /// Throws when `plan` has error findings outside `allowed`.
    public static func verify(_ plan: Plan, allowing allowed: Set<CheckCode>) throws(CheckRefusal) {
        let blocking = plan.findings.blocking(allowing: allowed)
        if !blocking.isEmpty { throw CheckRefusal(findings: blocking) }
    }

    public var description: String {
        let count = findings.count
        var lines = ["refusing to apply: the plan has \(count) error finding\(count == 1 ? "" : "s") from its checks"]
        for finding in findings { lines.append("  - \(finding.message); \(finding.allow)") }
        let codes = Set(findings.map(\.code)).sorted().map(\.rawValue).joined(separator: ",")
        lines.append("Nothing was written. Fix the cause and plan again, or apply with --allow \(codes) once you have checked the plan.")
        return lines.joined(separator: "\n")
    }
}
