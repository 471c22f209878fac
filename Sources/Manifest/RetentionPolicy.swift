import ReconCore
import YAML

/// How long run records, backups and state versions are kept. The newest is never pruned.
public struct RetentionPolicy: Sendable, Equatable {
    public var backupsKeepLast: Int
    public var backupsMaxAgeDays: Int?
    public var runsKeepLast: Int
    public var stateVersionsKeepLast: Int
    /// Drift checks are kept apart from apply and rollback runs, so a check every few minutes never
    /// pushes out the runs (and backups) a rollback needs.
    public var driftChecksKeepLast: Int

    public static let `default` = RetentionPolicy(
        backupsKeepLast: 20, backupsMaxAgeDays: 90, runsKeepLast: 500, stateVersionsKeepLast: 50)

    public init(backupsKeepLast: Int, backupsMaxAgeDays: Int?, runsKeepLast: Int, stateVersionsKeepLast: Int,
                driftChecksKeepLast: Int = 500) {
        self.backupsKeepLast = backupsKeepLast
        self.backupsMaxAgeDays = backupsMaxAgeDays
        self.runsKeepLast = runsKeepLast
        self.stateVersionsKeepLast = stateVersionsKeepLast
        self.driftChecksKeepLast = driftChecksKeepLast
    }
}

extension RetentionPolicy {
    static func decode(_ node: Node, sink: DiagnosticSink) -> RetentionPolicy {
        var policy = RetentionPolicy.default
        guard let reader = MappingReader(node, context: "retention", sink: sink) else { return policy }
        reader.rejectUnknownKeys(allowed: ["backups", "runs", "state_versions", "drift_checks"])
        if let backups = reader.mapping("backups", context: "retention.backups") {
            backups.rejectUnknownKeys(allowed: ["keep_last", "max_age_days"])
            if let keep = backups.int("keep_last", minimum: 1) { policy.backupsKeepLast = keep.value }
            if let age = backups.int("max_age_days", minimum: 1) { policy.backupsMaxAgeDays = age.value }
        }
        if let runs = reader.mapping("runs", context: "retention.runs") {
            runs.rejectUnknownKeys(allowed: ["keep_last"])
            if let keep = runs.int("keep_last", minimum: 1) { policy.runsKeepLast = keep.value }
        }
        if let versions = reader.mapping("state_versions", context: "retention.state_versions") {
            versions.rejectUnknownKeys(allowed: ["keep_last"])
            if let keep = versions.int("keep_last", minimum: 1) { policy.stateVersionsKeepLast = keep.value }
        }
        if let checks = reader.mapping("drift_checks", context: "retention.drift_checks") {
            checks.rejectUnknownKeys(allowed: ["keep_last"])
            if let keep = checks.int("keep_last", minimum: 1) { policy.driftChecksKeepLast = keep.value }
        }
        return policy
    }
}
