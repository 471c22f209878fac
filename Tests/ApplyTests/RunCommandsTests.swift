import Apply
import Foundation
import ReconCore
import TestSupport
import XCTest

/// `recon runs`, `recon prune` and `recon force-unlock`, run as the real binary.
final class RunCommandsTests: XCTestCase {
    private let t0 = UTCTimestamp.parse("2026-11-20T10:00:00.000Z")!

    private func manifest(_ temp: TemporaryDirectory, retention: String = "") {
        temp.write("manifests/schema.yaml", """
            tables:
              - name: Docs
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
            \(retention)
            """)
    }

    /// Three runs: succeeded (oldest), failed, and one killed mid-run (newest).
    private func makeRuns(_ temp: TemporaryDirectory) throws -> [String] {
        let runs = "\(temp.path)/state/runs"
        let first = try RunLedger.start(runsDirectory: runs, operation: .apply, planDigest: "d1", target: "sqlite:x", leaseID: "l1", at: t0)
        try first.record([EntityOutcome(table: "Docs", key: "a", action: .create, recordID: "1", status: .ok)])
        try first.batchCompleted(at: t0.addingTimeInterval(1))
        try first.finish(.succeeded, at: t0.addingTimeInterval(75))
        let second = try RunLedger.start(runsDirectory: runs, operation: .rollback, planDigest: "d2", target: "sqlite:x",
                                         leaseID: "l2", at: t0.addingTimeInterval(3600))
        try second.finish(.failed, error: "disk full", at: t0.addingTimeInterval(3602.5))
        let third = try RunLedger.start(runsDirectory: runs, operation: .apply, planDigest: "d3", target: "sqlite:x",
                                        leaseID: "l3", at: t0.addingTimeInterval(7200))
        try third.heartbeat(at: t0.addingTimeInterval(7230))
        return [first.id, second.id, third.id]
    }

    func testRunsListsNewestFirstInAlignedColumns() throws {
        let temp = TemporaryDirectory()
        let ids = try makeRuns(temp)
        let result = try ReconProcess.run(["runs"], in: temp.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            RUN                      OPERATION  STATUS       STARTED               DURATION  CREATED  UPDATED  DELETED  ARCHIVED  ADOPTED  SKIPPED  FAILED  BATCHES  TARGET
            \(ids[2])  apply      interrupted  2026-11-20 12:00:00Z  30s             0        0        0         0        0        0       0        0  sqlite:x
            \(ids[1])  rollback   failed       2026-11-20 11:00:00Z  2.5s            0        0        0         0        0        0       0        0  sqlite:x
            \(ids[0])  apply      succeeded    2026-11-20 10:00:00Z  1m15s           1        0        0         0        0        0       0        1  sqlite:x
            \(ids[1]): disk full

            """)
        let limited = try ReconProcess.run(["runs", "--limit", "1"], in: temp.path)
        XCTAssertEqual(limited.stdout.split(separator: "\n").count, 2)
        XCTAssertTrue(limited.stdout.contains(ids[2]))
    }

    func testRunsAsJSON() throws {
        let temp = TemporaryDirectory()
        let ids = try makeRuns(temp)
        temp.write("state/runs/20200101T000000Z-000000/ledger.json", "nope")
        let result = try ReconProcess.run(["runs", "--format", "json"], in: temp.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try JSONParser.parse(result.stdout)
        let runs = try XCTUnwrap(json["runs"]?.arrayValue)
        XCTAssertEqual(runs.compactMap { $0["id"]?.stringValue }, ids.reversed())
        XCTAssertEqual(runs[0]["status"], "interrupted")
        XCTAssertEqual(runs[0]["recorded_status"], "running")
        XCTAssertEqual(runs[1]["error"], "disk full")
        XCTAssertEqual(runs[2]["counters"]?["created"], 1)
        XCTAssertEqual(runs[2]["duration_seconds"], 75)
        XCTAssertEqual(json["unreadable"]?.arrayValue?.count, 1)
    }

    func testRunsWithNothingAndWithABadLimit() throws {
        let temp = TemporaryDirectory()
        let empty = try ReconProcess.run(["runs"], in: temp.path)
        XCTAssertEqual(empty.status, 0)
        XCTAssertEqual(empty.stdout, "No runs yet under state/runs/.\n")
        XCTAssertEqual(temp.listing(), [], "listing writes nothing")
        let bad = try ReconProcess.run(["runs", "--limit", "0"], in: temp.path)
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr, "error: invalid --limit '0'\n  expected a whole number above 0\n")
    }

    func testPruneDryRunThenPrune() throws {
        let temp = TemporaryDirectory()
        manifest(temp, retention: "retention: {runs: {keep_last: 1}}")
        let ids = try makeRuns(temp)
        let before = temp.listing()
        let dry = try ReconProcess.run(["prune", "--dry-run"], in: temp.path)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertEqual(temp.listing(), before)
        XCTAssertEqual(dry.stdout, """
            Would remove 2 runs:
              run  state/runs/\(ids[1])  beyond runs.keep_last 1
              run  state/runs/\(ids[0])  beyond runs.keep_last 1
            Nothing was removed (--dry-run).

            """)
        let real = try ReconProcess.run(["prune", "--format", "json"], in: temp.path)
        XCTAssertEqual(real.status, 0, real.stderr)
        let json = try JSONParser.parse(real.stdout)
        XCTAssertEqual(json["dry_run"], false)
        XCTAssertEqual(json["removed"]?.arrayValue?.compactMap { $0["path"]?.stringValue },
                       ["state/runs/\(ids[1])", "state/runs/\(ids[0])"])
        XCTAssertEqual(RunLedger.list(runsDirectory: "\(temp.path)/state/runs").map(\.id), [ids[2]])
        XCTAssertFalse(temp.exists("state/.lock"), "prune released its lease")
        let again = try ReconProcess.run(["prune"], in: temp.path)
        XCTAssertTrue(again.stdout.hasSuffix("Nothing to prune: everything is within the retention policy.\n"), again.stdout)
    }

    func testPruneRefusesWhileAnotherRunHoldsTheLock() throws {
        let temp = TemporaryDirectory()
        manifest(temp, retention: "retention: {runs: {keep_last: 1}}")
        _ = try makeRuns(temp)
        let probe = try ProbeProcess(["hold", "\(temp.path)/state/.lock", "30"])
        let id = try XCTUnwrap(probe.waitForLine("acquired ")).dropFirst("acquired ".count)
        let before = temp.listing()
        let result = try ReconProcess.run(["prune"], in: temp.path)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("error: the state is locked: held by "), result.stderr)
        XCTAssertTrue(result.stderr.contains("(pid \(probe.pid) on \(LeaseInfo.localHost)) for 'probe'"))
        XCTAssertTrue(result.stderr.contains("recon force-unlock \(id)"))
        XCTAssertEqual(temp.listing(), before)
        probe.signal(SIGKILL)
        _ = probe.finish()
    }

    func testForceUnlockChecksTheID() throws {
        let temp = TemporaryDirectory()
        let probe = try ProbeProcess(["hold", "\(temp.path)/state/.lock", "30"])
        let id = String(try XCTUnwrap(probe.waitForLine("acquired ")).dropFirst("acquired ".count))
        let wrong = try ReconProcess.run(["force-unlock", "not-the-id"], in: temp.path)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.hasPrefix("error: lease id 'not-the-id' does not match the lock: it is held by"), wrong.stderr)
        XCTAssertTrue(wrong.stderr.hasSuffix("  to remove that lease, pass its id: recon force-unlock \(id)\n"), wrong.stderr)
        XCTAssertTrue(temp.exists("state/.lock"))

        let right = try ReconProcess.run(["force-unlock", id], in: temp.path)
        XCTAssertEqual(right.status, 0, right.stderr)
        XCTAssertTrue(right.stdout.hasPrefix("Removed the lease \(id) from state/.lock: it was held by "), right.stdout)
        XCTAssertTrue(right.stdout.contains("(pid \(probe.pid) on \(LeaseInfo.localHost)) for 'probe' since "))
        XCTAssertTrue(right.stderr.contains("that holder may still be running"))
        XCTAssertFalse(temp.exists("state/.lock"))

        let none = try ReconProcess.run(["force-unlock", id], in: temp.path)
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stderr, "error: the state is not locked: there is no lease at state/.lock\n  nothing to unlock\n")
        let missing = try ReconProcess.run(["force-unlock"], in: temp.path)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.hasPrefix("error: 'force-unlock' needs the lease id"))
        probe.signal(SIGKILL)
        _ = probe.finish()
    }
}
