/// What a delta plan is told instead of reading every record (issue 12, goal 4): the only keys whose records can plan
/// differently from the last apply's, and what the records it does not read add to the plan. Every other record is
/// known to plan to nothing: its desired record is the one applied, and base and state hold what that apply left.
public struct PlanDelta: Sendable, Equatable {
    /// Table → the keys planned; a key of no desired record and no state record plans to nothing.
    public var keys: [String: Set<String>]
    /// Table → unmanaged base records (not in the state, no desired key), counted from the baseline's list.
    public var unmanaged: [String: Int]
    /// Record id → key of the base records not read (the unmanaged ones), so links to them read as keys.
    public var recordKeys: [String: String]

    public init(keys: [String: Set<String>], unmanaged: [String: Int], recordKeys: [String: String]) {
        self.keys = keys
        self.unmanaged = unmanaged
        self.recordKeys = recordKeys
    }
}
