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

    /// Record changes by table, tables sorted, for checks that count per table.
    var changesByTable: [(table: String, changes: [RecordChange])] {
        Dictionary(grouping: plan.recordChanges, by: \.table).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
