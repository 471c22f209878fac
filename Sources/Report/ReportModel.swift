import Apply
import Foundation
import Manifest

/// Everything `recon report` shows, loaded once at the edge (`ReportData`) so the renderer does no I/O
/// and the same inputs give the same bytes.
public struct ReportModel: Sendable {
    /// One manifest table: records in the state, unmanaged records the newest drift check counted, protected fields.
    public struct Table: Sendable, Equatable {
        public var name: String
        public var managed: Int
        /// nil when no drift check has counted the base yet.
        public var unmanaged: Int?
        public var protectedFields: [String]

        public init(name: String, managed: Int, unmanaged: Int?, protectedFields: [String]) {
            self.name = name
            self.managed = managed
            self.unmanaged = unmanaged
            self.protectedFields = protectedFields
        }
    }

    public var target: String
    /// Where the state is: a path, or the PostgreSQL schema and target.
    public var stateLocation: String
    /// nil when nothing was applied yet.
    public var stateSerial: Int?
    public var tables: [Table]
    /// The drift check the unmanaged counts come from.
    public var unmanagedCountedBy: RunSummary?
    /// Every readable run and drift check, newest first.
    public var runs: [RunSummary]
    /// Ids of the runs whose backup is still kept.
    public var runsWithBackup: Set<String>
    /// Run folders that could not be read.
    public var unreadableRuns: Int
    public var retention: RetentionPolicy
    /// State history versions kept; nil when they could not be counted.
    public var stateVersionsKept: Int?
    public var lock: LockStatus

    public init(target: String, stateLocation: String, stateSerial: Int?, tables: [Table], unmanagedCountedBy: RunSummary?,
                runs: [RunSummary], runsWithBackup: Set<String>, unreadableRuns: Int, retention: RetentionPolicy,
                stateVersionsKept: Int?, lock: LockStatus) {
        self.target = target
        self.stateLocation = stateLocation
        self.stateSerial = stateSerial
        self.tables = tables
        self.unmanagedCountedBy = unmanagedCountedBy
        self.runs = runs
        self.runsWithBackup = runsWithBackup
        self.unreadableRuns = unreadableRuns
        self.retention = retention
        self.stateVersionsKept = stateVersionsKept
        self.lock = lock
    }

    /// The newest instant in the data (a run's end or last heartbeat): the page's "as of", in place of a clock.
    public var newestData: Date? {
        runs.map { $0.record.finished ?? $0.record.heartbeat }.max()
    }

    /// Apply and rollback runs, newest first.
    public var changeRuns: [RunSummary] { runs.filter { $0.record.operation != .drift } }
    /// Drift checks, newest first.
    public var driftChecks: [RunSummary] { runs.filter { $0.record.operation == .drift } }
}
