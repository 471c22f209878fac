import Apply
import Foundation
import TestSupport
import XCTest

/// Limits that mean what they say, through the real `recon` binary: `--lock-timeout` waits the full
/// time, `--max-seconds` counts only the writing, a run stopped before its first write leaves the state
/// alone, an interrupt is honoured before the schema is written, and a cut limit is refused.
final class LimitsTests: XCTestCase {
    /// Holds the project's lock from this process, as another run would, until `release()`.
    private func holdLock(_ project: CLIProject) throws -> Lease {
        try Lease.acquire(path: project.path + "/state/.lock", operation: "apply", ttl: 600, heartbeat: false)
    }

    private func serial(_ project: CLIProject) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: project.path + "/state/recon.state.json"))
        let state = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try XCTUnwrap(state["serial"] as? Int)
    }

    /// A regression: waiting up to 2 s gave up after 1.4 s, because the last back-off step was skipped.
    func testLockTimeoutWaitsTheFullTime() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let lease = try holdLock(project)
        defer { try? lease.release() }
        let started = Date()
        let result = try project.recon("apply", "--auto-approve", "--lock-timeout", "2")
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("after waiting 2 s"), result.stderr)
        XCTAssertGreaterThanOrEqual(elapsed, 2, "gave up early: \(elapsed) s")
        XCTAssertLessThan(elapsed, 30, "waited far longer than asked")
        XCTAssertTrue(result.stderr.contains("--lock-timeout DURATION"), "one duration syntax in hints: \(result.stderr)")
    }

    /// A regression: the clock of `--max-seconds` started before the lock wait and the planning, so a run
    /// that waited for the lock was cancelled with nothing written.
    func testMaxSecondsCountsOnlyTheWriting() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let lease = try holdLock(project)
        let release = Thread { Thread.sleep(forTimeInterval: 5); try? lease.release() }
        release.start()
        let result = try project.recon("apply", "--auto-approve", "--lock-timeout", "2m", "--max-seconds", "3")
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("Apply complete!"), result.stdout)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["1"])
    }

    /// A regression: a run cancelled before its first write still wrote the state, moving its serial, so the
    /// reviewed plan was then refused as stale.
    func testARunCancelledBeforeItsFirstWriteLeavesTheReviewedPlanApplicable() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        project.skill("alpha", "two")
        project.repo.commit("two")
        XCTAssertEqual(try project.recon("plan", "-out", "plan.json").status, 0)
        let before = try serial(project)
        let cancelled = try project.recon("apply", "plan.json", "--max-seconds", "0")
        XCTAssertEqual(cancelled.status, 130, cancelled.stdout + cancelled.stderr)
        XCTAssertTrue(cancelled.stdout.contains("Apply cancelled (--max-seconds"), cancelled.stdout)
        XCTAssertEqual(try serial(project), before, "nothing was written, so the state is untouched")
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["1"])
        let applied = try project.recon("apply", "plan.json")
        XCTAssertEqual(applied.status, 0, "the reviewed plan is still applicable: \(applied.stderr)")
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["2"])
    }

    /// A regression: Ctrl-C before the writing began was honoured only after the schema phase had created
    /// the tables, and the message said `signal(2)`.
    func testAnInterruptBeforeTheWritingStopsBeforeTheSchemaAndIsNamed() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let run = try LockWaitingApply(project, lockTimeout: "2m")
        let text = try run.interrupt(with: SIGINT)
        let process = run.process
        XCTAssertEqual(process.terminationStatus, 130, text)
        XCTAssertTrue(text.contains("interrupted (SIGINT)"), text)
        XCTAssertFalse(text.contains("signal("), text)
        XCTAssertEqual(project.sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'Skills'"), [],
                       "no table was created after the interrupt")
        XCTAssertFalse(project.directory.exists("state/recon.state.json"), "no state was written")
    }

    /// A regression: `--batch-size 50000` was silently cut to the provider's 10000.
    func testABatchSizeAboveTheProvidersLimitIsRefused() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let result = try project.recon("apply", "--auto-approve", "--batch-size", "50000")
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("--batch-size 50000"), result.stderr)
        XCTAssertTrue(result.stderr.contains("at most 10000"), result.stderr)
        XCTAssertEqual(project.sql("SELECT name FROM sqlite_master WHERE name = 'Skills'"), [], "nothing was written")
    }
}

extension LimitsTests {
    /// A regression: `git_timeout` and `RECON_GIT_TIMEOUT` took only a number of seconds while the flags took
    /// `30s` and `2m`; every duration now reads the same.
    func testEveryDurationTakesTheSameSyntax() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let schema = try XCTUnwrap(project.directory.read("manifests/schema.yaml"))
        project.directory.write("manifests/schema.yaml", schema.replacingOccurrences(of: "    path: ", with: "    git_timeout: 2m\n    path: "))
        let extract = try ReconProcess.run(["extract"], in: project.path, environment: ["RECON_GIT_TIMEOUT": "1.5m"])
        XCTAssertEqual(extract.status, 0, extract.stderr)
        let bad = try ReconProcess.run(["apply", "--auto-approve", "--lock-timeout", "2 minutes"], in: project.path)
        XCTAssertEqual(bad.status, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("(90, 1.5s, 30s, 2m, 1h)"), bad.stderr)
    }
}

extension LimitsTests {
    /// A regression: after retention removed old runs, the note pointed at `recon prune --dry-run`, which
    /// then listed nothing, since they were gone. The note now lists what was removed itself.
    func testTheRetentionNoteListsWhatWasRemoved() throws {
        let project = CLIProject()
        let schema = try XCTUnwrap(project.directory.read("manifests/schema.yaml"))
        project.directory.write("manifests/schema.yaml", schema + "\nretention: {runs: {keep_last: 1}}\n")
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        let first = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: project.path + "/state/runs").first)
        project.skill("alpha", "two")
        project.repo.commit("two")
        let second = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(second.status, 0, second.stderr)
        let output = second.stdout + second.stderr
        XCTAssertFalse(output.contains("prune --dry-run"), "no hint at a command that lists nothing: \(output)")
        XCTAssertTrue(output.contains("Retention removed 1 old item:"), output)
        XCTAssertTrue(output.contains("state/runs/\(first)") && output.contains("beyond runs.keep_last 1"), output)
        XCTAssertFalse(project.directory.exists("state/runs/\(first)"))
    }
}

extension LimitsTests {
    /// A regression: `prune` refused a locked state with the hint "retry with --lock-timeout", a flag it
    /// did not take.
    func testPruneTakesTheLockTimeoutItsHintNames() throws {
        let project = CLIProject()
        let lease = try holdLock(project)
        defer { try? lease.release() }
        let started = Date()
        let result = try project.recon("prune", "--lock-timeout", "1s")
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("still locked after waiting 1 s"), result.stderr)
        XCTAssertGreaterThanOrEqual(elapsed, 1)
    }
}
