import Foundation
import Manifest
import ReconCore
import State

/// Applies the manifests' retention policy to run folders, their backups and the state history.
///
/// Never removes the newest of anything, never a run whose ledger says `running` (an interrupted run is
/// evidence to inspect), and never while another process holds a live lease. A dry run computes the same
/// list and writes nothing.
public struct RetentionPruner: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case run
        case backup
        case stateVersion = "state_version"
        case driftCheck = "drift_check"
    }

    /// One thing removed (or that a dry run would remove), and the rule that removes it.
    public struct Removal: Sendable, Equatable {
        public var kind: Kind
        public var path: String
        public var reason: String
    }

    public struct Report: Sendable, Equatable {
        public var dryRun: Bool
        public var removed: [Removal] = []
        /// Things kept against the count rules, and why (a running run, an unreadable folder).
        public var notes: [String] = []
    }

    public let policy: RetentionPolicy
    public let layout: RunLayout
    /// The state's history; nil when there is no state file to keep versions of.
    public let history: StateHistory?
    /// Where the runs are: the folders of `layout` unless given (the PostgreSQL state's schema).
    public let runStore: any RunStore

    public init(policy: RetentionPolicy, layout: RunLayout = RunLayout(), history: StateHistory?, runs: (any RunStore)? = nil) {
        self.policy = policy
        self.layout = layout
        self.history = history
        self.runStore = runs ?? LocalRunStore(layout: layout)
    }

    /// Prunes, or with `dryRun` only reports. `leaseID` is the caller's own lease (the applier prunes
    /// while holding it); any other live lease makes this throw without touching anything. `now` dates the
    /// backups' age; the lease is judged by the real clock, as its holder renews it by that.
    public func prune(dryRun: Bool = false, leaseID: String? = nil, now: Date = Date()) throws -> Report {
        var report = Report(dryRun: dryRun)
        if let holder = try Lease.current(path: layout.lockPath), holder.id != leaseID {
            if let reason = holder.staleness() {
                report.notes.append("a stale lease remains (\(reason)); the next apply breaks it")
            } else {
                throw ReconError("not pruning while the state is locked by \(holder.holderDescription)",
                                 hint: "run 'recon prune' again once that run has finished")
            }
        }
        if !dryRun { try runStore.removeLeftovers() }
        let listing = runStore.listing()
        for (path, reason) in listing.unreadable {
            report.notes.append("kept \(path): \(reason)")
        }
        let checks = listing.runs.filter { $0.record.operation == .drift }
        try pruneDriftChecks(checks, dryRun: dryRun, report: &report)
        let survivors = try pruneRuns(listing.runs.filter { $0.record.operation != .drift }, dryRun: dryRun, report: &report)
        try pruneBackups(survivors, dryRun: dryRun, now: now, report: &report)
        try pruneStateVersions(dryRun: dryRun, report: &report)
        return report
    }

    /// Drift checks beyond `drift_checks.keep_last` alone, for `recon drift` after recording one. Takes no lock:
    /// an apply never reads or writes drift check folders.
    public func pruneDriftChecks() throws -> Report {
        var report = Report(dryRun: false)
        let listing = runStore.listing()
        try pruneDriftChecks(listing.runs.filter { $0.record.operation == .drift }, dryRun: false, report: &report)
        return report
    }

    private func pruneDriftChecks(_ checks: [RunSummary], dryRun: Bool, report: inout Report) throws {
        for check in checks.dropFirst(max(policy.driftChecksKeepLast, 1)) where check.record.status != .running {
            if !dryRun { try runStore.remove(check) }
            report.removed.append(Removal(kind: .driftCheck, path: check.directory,
                                          reason: "beyond drift_checks.keep_last \(policy.driftChecksKeepLast)"))
        }
    }

    /// Runs beyond `runs.keep_last`, newest first; returns the runs that stay.
    private func pruneRuns(_ runs: [RunSummary], dryRun: Bool, report: inout Report) throws -> [RunSummary] {
        let keep = max(policy.runsKeepLast, 1)
        var survivors: [RunSummary] = []
        for (index, run) in runs.enumerated() {
            guard index >= keep else {
                survivors.append(run)
                continue
            }
            if run.record.status == .running {
                report.notes.append("kept run \(run.id): its ledger says running (\(run.status.rawValue)); inspect it with 'recon runs'")
                survivors.append(run)
                continue
            }
            if !dryRun { try runStore.remove(run) }
            report.removed.append(Removal(kind: .run, path: run.directory,
                                          reason: "beyond runs.keep_last \(policy.runsKeepLast)"))
        }
        return survivors
    }

    /// Backups beyond `backups.keep_last` or older than `backups.max_age_days`; the newest always stays.
    private func pruneBackups(_ runs: [RunSummary], dryRun: Bool, now: Date, report: inout Report) throws {
        let withBackups = runs.filter(\.hasBackup)
        let maxAge = policy.backupsMaxAgeDays.map { TimeInterval($0) * 86_400 }
        for (index, run) in withBackups.enumerated() where index > 0 && run.record.status != .running {
            let reason: String
            if index >= max(policy.backupsKeepLast, 1) {
                reason = "beyond backups.keep_last \(policy.backupsKeepLast)"
            } else if let maxAge, now.timeIntervalSince(run.record.started) > maxAge {
                reason = "older than backups.max_age_days \(policy.backupsMaxAgeDays!) (run started "
                    + "\(UTCTimestamp.string(run.record.started)))"
            } else {
                continue
            }
            let path = "\(run.directory)/\(RunLayout.backupFolderName)"
            if !dryRun { try runStore.removeBackup(run) }
            report.removed.append(Removal(kind: .backup, path: path, reason: reason))
        }
    }

    /// State versions beyond `state_versions.keep_last`, by StateHistory's own rule.
    private func pruneStateVersions(dryRun: Bool, report: inout Report) throws {
        guard let history else { return }
        let keep = max(policy.stateVersionsKeepLast, 1)
        let doomed = dryRun ? Array(history.entries().dropLast(keep)) : try history.prune(keepLast: keep)
        for entry in doomed {
            report.removed.append(Removal(kind: .stateVersion, path: entry.path,
                                          reason: "beyond state_versions.keep_last \(policy.stateVersionsKeepLast)"))
        }
    }
}
