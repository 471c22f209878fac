import Manifest
import ReconCore
import State

/// Runs every check on a plan. Pure: the same plan, manifests, state and desired records give the same findings,
/// which is how apply re-derives a saved plan's findings.
public enum PlanChecks {
    public static func run(_ context: CheckContext) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        for code in CheckCode.allCases where context.rule(code).level != .off {
            let level = context.rule(code).level
            let found: [CheckFinding] = switch code {
            case .RC101: DeletionShareCheck.run(context)
            case .RC102: EmptyRepoCheck.run(context)
            case .RC103: DriftRestoreCheck.run(context)
            case .RC104: ManualSchemaCheck.run(context)
            case .RC105: DataLossCheck.run(context)
            case .RC106: WriteVolumeCheck.run(context)
            }
            findings += found.map { var finding = $0; finding.level = level; return finding }
        }
        return findings
    }

    /// Runs the checks on `plan` and records the findings in it.
    public static func recorded(_ plan: Plan, manifest: Manifest, state: StateModel, desired: [DesiredRecord]) -> Plan {
        var plan = plan
        plan.findings = run(CheckContext(plan: plan, manifest: manifest, state: state, desired: desired))
        return plan
    }
}
