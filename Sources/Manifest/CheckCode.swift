/// The stable codes of the checks run on every plan. A closed set: users require, silence or allow them by name,
/// so a code never changes meaning (docs/checks.md has a section per code).
public enum CheckCode: String, Sendable, CaseIterable, Comparable {
    /// The plan deletes more than `max_percent` of a table's managed records.
    case RC101
    /// A repo yields no records while the state holds records from it.
    case RC102
    /// A drift restore (or a conflict the manifests win) overwrites a value changed in the base.
    case RC103
    /// The plan has manual schema items.
    case RC104
    /// A field type change or a removed select choice would lose data.
    case RC105
    /// More than `max_records` records of one table written by one plan.
    case RC106

    /// What a check does when the manifests say nothing.
    public var defaultRule: CheckRule {
        switch self {
        case .RC101: CheckRule(level: .error, maxPercent: 10)
        case .RC102, .RC105: CheckRule(level: .error)
        case .RC103, .RC104: CheckRule(level: .warning)
        case .RC106: CheckRule(level: .off, maxRecords: 1000)
        }
    }

    /// The threshold keys this check reads under `checks.CODE`.
    public var thresholds: [String] {
        switch self {
        case .RC101: ["max_percent"]
        case .RC106: ["max_records"]
        default: []
        }
    }

    public static func < (a: CheckCode, b: CheckCode) -> Bool { a.rawValue < b.rawValue }
}

/// How a finding counts: an error stops apply (unless allowed), a warning is shown, off is not run.
public enum CheckLevel: String, Sendable, CaseIterable {
    case error
    case warning
    case off
}

/// One check's configuration: its level and threshold.
public struct CheckRule: Sendable, Equatable {
    public var level: CheckLevel
    /// RC101: the share of a table's managed records a plan may delete.
    public var maxPercent: Double
    /// RC106: the records of one table a plan may write.
    public var maxRecords: Int

    public init(level: CheckLevel, maxPercent: Double = 0, maxRecords: Int = 0) {
        self.level = level
        self.maxPercent = maxPercent
        self.maxRecords = maxRecords
    }
}
