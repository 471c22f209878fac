import Apply
import Foundation
import Manifest
import ReconCore
import State
import TestSupport
import XCTest

/// Retention on real run folders and state history files.
final class RetentionPrunerTests: XCTestCase {
    private let now = UTCTimestamp.parse("2026-11-23T12:00:00.000Z")!

    private func policy(runs: Int = 500, backups: Int = 20, maxAgeDays: Int? = 90, states: Int = 50) -> RetentionPolicy {
        RetentionPolicy(backupsKeepLast: backups, backupsMaxAgeDays: maxAgeDays, runsKeepLast: runs, stateVersionsKeepLast: states)
    }

    /// Finished runs started `daysAgo` days before `now`, each with a backup folder; oldest last in the result.
    private func makeRuns(_ layout: RunLayout, daysAgo: [Double], status: RunStatus = .succeeded) throws -> [String] {
        try daysAgo.map { days in
            let start = now.addingTimeInterval(-days * 86_400)
            let ledger = try RunLedger.start(runsDirectory: layout.runsDirectory, operation: .apply, planDigest: "d",
                                             target: "t", leaseID: "gone", at: start)
            try FileManager.default.createDirectory(atPath: "\(ledger.directory)/backup", withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: URL(fileURLWithPath: "\(ledger.directory)/backup/records.json"))
            if status != .running { try ledger.finish(status, at: start.addingTimeInterval(5)) }
            return ledger.id
        }
    }

    private func pruner(_ layout: RunLayout, _ policy: RetentionPolicy) -> RetentionPruner {
        RetentionPruner(policy: policy, layout: layout, history: StateStore(path: "\(layout.stateDirectory)/recon.state.json").history)
    }

    func testRunsBeyondKeepLastAreRemovedOldestFirst() throws {
        let temp = TemporaryDirectory()
        let layout = RunLayout(stateDirectory: "\(temp.path)/state")
        let ids = try makeRuns(layout, daysAgo: [1, 2, 3, 4, 5])
        let report = try pruner(layout, policy(runs: 2, backups: 20)).prune(now: now)
        XCTAssertFalse(report.dryRun)
        XCTAssertEqual(report.removed.map(\.kind), [.run, .run, .run])
        XCTAssertEqual(report.removed.map(\.path), ids[2...].map(layout.runDirectory))
        XCTAssertEqual(report.removed[0].reason, "beyond runs.keep_last 2")
        XCTAssertEqual(RunLedger.list(runsDirectory: layout.runsDirectory).map(\.id), Array(ids[..<2]))
        XCTAssertEqual(temp.listing().filter { $0.hasPrefix("state/runs/.") }, [], "no trash left behind")
    }

    func testARunningRunIsNeverRemoved() throws {
        let temp = TemporaryDirectory()
        let layout = RunLayout(stateDirectory: "\(temp.path)/state")
        let newest = try makeRuns(layout, daysAgo: [1])
        let crashed = try makeRuns(layout, daysAgo: [2], status: .running)
        let old = try makeRuns(layout, daysAgo: [3])
        let report = try pruner(layout, policy(runs: 1, backups: 1)).prune(now: now)
        XCTAssertEqual(report.removed.map(\.path), [layout.runDirectory(old[0])])
        XCTAssertEqual(report.notes, ["kept run \(crashed[0]): its ledger says running (interrupted); inspect it with 'recon runs'"])
        XCTAssertEqual(Set(RunLedger.list(runsDirectory: layout.runsDirectory).map(\.id)), Set(newest + crashed))
        XCTAssertTrue(temp.exists("state/runs/\(crashed[0])/backup/records.json"), "its backup stays too")
    }

    func testBackupsBeyondKeepLastOrTooOldGoButTheNewestStays() throws {
        let temp = TemporaryDirectory()
        let layout = RunLayout(stateDirectory: "\(temp.path)/state")
        let ids = try makeRuns(layout, daysAgo: [100, 120, 1, 2, 30])
        // Newest first: 1, 2, 30, 100, 120 days old. keep_last 4 drops the 5th; 90 days drops the 4th.
        let report = try pruner(layout, policy(backups: 4, maxAgeDays: 90)).prune(now: now)
        XCTAssertEqual(report.removed.map(\.kind), [.backup, .backup])
        XCTAssertEqual(report.removed.map(\.path), [ids[0], ids[1]].map { "\(layout.runDirectory($0))/backup" })
        XCTAssertTrue(report.removed[0].reason.hasPrefix("older than backups.max_age_days 90 (run started 2026-08-15T12:00:00.000Z)"),
                      report.removed[0].reason)
        XCTAssertEqual(report.removed[1].reason, "beyond backups.keep_last 4")
        XCTAssertFalse(temp.exists("state/runs/\(ids[0])/backup"))
        XCTAssertTrue(temp.exists("state/runs/\(ids[0])/ledger.json"), "the run record stays")
        XCTAssertEqual(RunLedger.list(runsDirectory: layout.runsDirectory).filter(\.hasBackup).count, 3)

        let lone = TemporaryDirectory()
        let loneLayout = RunLayout(stateDirectory: "\(lone.path)/state")
        _ = try makeRuns(loneLayout, daysAgo: [400])
        XCTAssertEqual(try pruner(loneLayout, policy(maxAgeDays: 1)).prune(now: now).removed, [], "the newest backup stays")
    }

    func testStateVersionsBeyondKeepLastAreRemoved() throws {
        let temp = TemporaryDirectory()
        let layout = RunLayout(stateDirectory: "\(temp.path)/state")
        for serial in 1...5 {
            temp.write("state/history/recon.state.0000000\(serial).20261120T10000\(serial).000Z.json", "{}")
        }
        let report = try pruner(layout, policy(states: 2)).prune(now: now)
        XCTAssertEqual(report.removed.map(\.kind), [.stateVersion, .stateVersion, .stateVersion])
        XCTAssertEqual(report.removed.last?.reason, "beyond state_versions.keep_last 2")
        XCTAssertEqual(temp.listing().filter { $0.hasPrefix("state/history/") },
                       ["state/history/recon.state.00000004.20261120T100004.000Z.json",
                        "state/history/recon.state.00000005.20261120T100005.000Z.json"])
    }

    func testDryRunReportsTheSameAndWritesNothing() throws {
        let temp = TemporaryDirectory()
        let layout = RunLayout(stateDirectory: "\(temp.path)/state")
        _ = try makeRuns(layout, daysAgo: [1, 2, 3, 200])
        for serial in 1...3 { temp.write("state/history/recon.state.0000000\(serial).20261120T10000\(serial).000Z.json", "{}") }
        let before = temp.listing()
        let planned = try pruner(layout, policy(runs: 3, backups: 1, states: 1)).prune(dryRun: true, now: now)
        XCTAssertTrue(planned.dryRun)
        XCTAssertEqual(temp.listing(), before)
        XCTAssertEqual(planned.removed.map(\.kind), [.run, .backup, .backup, .stateVersion, .stateVersion])
        let done = try pruner(layout, policy(runs: 3, backups: 1, states: 1)).prune(now: now)
        XCTAssertEqual(done.removed, planned.removed)
        XCTAssertNotEqual(temp.listing(), before)
    }

    func testRefusesWhileAnotherProcessHoldsTheLease() throws {
        let temp = TemporaryDirectory()
        let layout = RunLayout(stateDirectory: "\(temp.path)/state")
        _ = try makeRuns(layout, daysAgo: [1, 2, 3])
        let probe = try ProbeProcess(["hold", layout.lockPath, "30"])
        XCTAssertNotNil(probe.waitForLine("acquired "))
        let before = temp.listing()
        for dryRun in [false, true] {
            XCTAssertThrowsError(try pruner(layout, policy(runs: 1)).prune(dryRun: dryRun, now: now)) { error in
                let error = error as! ReconError
                XCTAssertTrue(error.message.hasPrefix("not pruning while the state is locked by"), error.message)
                XCTAssertTrue(error.message.contains("pid \(probe.pid)"))
                XCTAssertEqual(error.hint, "run 'recon prune' again once that run has finished")
            }
        }
        XCTAssertEqual(temp.listing(), before)
        probe.signal(SIGKILL)
        _ = probe.finish()
    }

    func testTheLeaseHolderItselfMayPrune() throws {
        let temp = TemporaryDirectory()
        let layout = RunLayout(stateDirectory: "\(temp.path)/state")
        _ = try makeRuns(layout, daysAgo: [1, 2])
        let lease = try Lease.acquire(path: layout.lockPath, operation: "apply", heartbeat: false)
        defer { try? lease.release() }
        XCTAssertThrowsError(try pruner(layout, policy(runs: 1)).prune(now: now))
        XCTAssertEqual(try pruner(layout, policy(runs: 1)).prune(leaseID: lease.id, now: now).removed.count, 1)
    }
}
