import Apply
import Foundation
import XCTest

/// A local base takes large batches: every batch costs an fsync of the SQLite commit, the state journal, the
/// intent and the outcomes, and at 1,000 records those were most of the creates stage's wall time (issue 12).
final class SQLiteBatchSizeTests: XCTestCase {
    func testThousandsOfCreatesGoToSQLiteInOneBatchByDefault() throws {
        let harness = ApplyHarness()
        for number in 0..<1_200 { harness.addSkill("alpha", "skill\(number)") }
        harness.repo.commit("1,200 skills")
        let plan = try harness.plan().plan
        XCTAssertEqual(plan.recordChanges.count, 1_201)

        let layout = RunLayout(stateDirectory: harness.project.path + "/state")
        let lease = try Lease.acquire(path: layout.lockPath, operation: "apply", heartbeat: false)
        defer { try? lease.release() }
        let session = ApplySession(manifest: try harness.manifest(), layout: layout, statePath: harness.statePath,
                                   environment: [:], manifestDirectory: harness.project.path + "/manifests")
        let outcome = try session.apply(plan, lease: lease, cancellation: CancellationSignal(), observer: nil, allow: [])

        XCTAssertEqual(outcome.counters.created, 1_201)
        XCTAssertEqual(outcome.counters.batches, 2, "one batch for the plugin, one for its 1,200 skills")
        XCTAssertEqual(try harness.records("Skills").count, 1_200)
        XCTAssertEqual(try harness.state()?.records["Skills"]?.count, 1_200)
    }
}
