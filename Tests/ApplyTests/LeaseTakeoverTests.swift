import Apply
import Foundation
import TestSupport
import XCTest

/// A lock taken away (force-unlock) between two batches: the old holder, a real process, stops before
/// its next write, and the applier that took over is the only one writing.
final class LeaseTakeoverTests: XCTestCase {
    func testAForceUnlockedApplierStopsBeforeItsNextBatch() throws {
        let harness = ApplyHarness()
        for index in 0..<6 { harness.addSkill("p\(index % 2)", "s\(index)") }
        harness.repo.commit("six skills")
        let first = try ProbeProcess(["apply", harness.project.path, "3"])
        let leaseLine = try XCTUnwrap(first.waitForLine("lease "), "the first applier took the lock")
        let id = String(leaseLine.dropFirst("lease ".count))
        XCTAssertNotNil(first.waitForLine("batch 1", timeout: 60), "the first applier wrote a batch")

        // While it pauses after its first batch: force-unlock, as a person would, and apply again.
        let unlock = try ReconProcess.run(["force-unlock", id], in: harness.project.path)
        XCTAssertEqual(unlock.status, 0, unlock.stderr)
        let second = try ReconProcess.run(["apply", "--auto-approve"], in: harness.project.path)
        XCTAssertEqual(second.status, 0, second.stderr)

        let result = first.finish(timeout: 60)
        XCTAssertEqual(result.status, 1, "\(result.lines)")
        XCTAssertEqual(result.lines.filter { $0.hasPrefix("batch ") }, ["batch 1"], "no batch after the lock was taken: \(result.lines)")
        let failure = try XCTUnwrap(result.lines.first { $0.hasPrefix("failed: ") }, "\(result.lines)")
        XCTAssertTrue(failure.contains("the lock was taken"), failure)

        let runs = RunLedger.list(runsDirectory: harness.project.path + "/state/runs")
        let stopped = try XCTUnwrap(runs.first { $0.record.leaseID == id }, "the first applier's run")
        XCTAssertEqual(stopped.record.status, .failed)
        XCTAssertTrue(stopped.record.error?.contains("the lock was taken") == true, stopped.record.error ?? "no error")
        XCTAssertEqual(stopped.record.counters.batches, 1, "its ledger counts the one batch it committed")

        // The second applier's state stands: nothing is left to do and no key is doubled.
        let plan = try ReconProcess.run(["plan", "-detailed-exitcode"], in: harness.project.path)
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertEqual(try harness.records("Skills").count, 6)
        XCTAssertEqual(try harness.records("Plugins").count, 2)
    }
}
