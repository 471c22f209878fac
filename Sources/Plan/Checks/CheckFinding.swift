import Manifest

/// What one check found: a value, recorded in the plan file and re-derived on apply.
public struct CheckFinding: Sendable, Equatable {
    public var code: CheckCode
    /// `error` or `warning`; checks at `off` make no findings.
    public var level: CheckLevel
    public var table: String
    /// RC102: the repo that yields no records.
    public var repo: String?
    /// How many records (or fields, or items) the finding is about.
    public var count: Int
    /// What `count` is measured against (RC101: the table's managed records), when there is one.
    public var total: Int?
    /// One sentence naming the code, the table and the counts.
    public var message: String

    public init(code: CheckCode, level: CheckLevel, table: String, repo: String? = nil, count: Int, total: Int? = nil, message: String) {
        self.code = code
        self.level = level
        self.table = table
        self.repo = repo
        self.count = count
        self.total = total
        self.message = message
    }

    /// How to let apply go ahead anyway (an error), or to silence it (a warning).
    public var allow: String {
        guard level == .error else { return "silence with checks.\(code.rawValue).level: off" }
        let setting = code.thresholds.first.map { "set checks.\(code.rawValue).\($0)" } ?? "set checks.\(code.rawValue).level: warning"
        return "allow with --allow \(code.rawValue), or \(setting)"
    }
}

extension Array where Element == CheckFinding {
    /// The error findings `allowed` does not cover: what stops apply.
    public func blocking(allowing allowed: Set<CheckCode>) -> [CheckFinding] {
        filter { $0.level == .error && !allowed.contains($0.code) }
    }
}
