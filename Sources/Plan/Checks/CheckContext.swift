import Manifest
import ReconCore
import State

/// What every check reads: the plan, the manifests, the state and the desired records. Values only.
public struct CheckContext: Sendable {
    public var plan: Plan
    public var manifest: Manifest
    public var state: StateModel
    public var desired: [DesiredRecord]

    public init(plan: Plan, manifest: Manifest, state: StateModel, desired: [DesiredRecord]) {
        self.plan = plan
        self.manifest = manifest
        self.state = state
        self.desired = desired
    }

    func rule(_ code: CheckCode) -> CheckRule { manifest.checks.rule(code) }

    /// Per table with a change, tables sorted: `tally` folded over its changes, read in place (grouping copied each of
    /// 100,000 changes, once per check, issue 12).
    func byTable<Tally>(_ empty: Tally, _ tally: (inout Tally, borrowing RecordChange) -> Void) -> [(table: String, tally: Tally)] {
        var tallies: [String: Tally] = [:]
        plan.recordChanges.withUnsafeBufferPointer { changes in
            for index in changes.indices { tally(&tallies[changes[index].table, default: empty], changes[index]) }
        }
        return tallies.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
