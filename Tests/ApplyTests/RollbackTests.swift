import Apply
import Plan
import ReconCore
import XCTest

final class RollbackTests: XCTestCase {
    private func rollbackPlan(_ harness: ApplyHarness, run: String) throws -> Plan {
        try RollbackRunner(runsDirectory: harness.project.path + "/state/runs", manifestDirectory: harness.project.path + "/manifests",
                           statePath: harness.statePath, environment: [:]).run(runID: run)
    }

    func testRollbackRestoresUpdatesAndRecreatesDeletes() throws {
        let harness = ApplyHarness()
        harness.addSkill("alpha", "one")
        harness.addSkill("alpha", "two")
        harness.repo.commit("first")
        try harness.planAndApply(run: "r1")
        let afterFirst = try harness.records("Skills")

        harness.addSkill("alpha", "one", name: "Changed")
        harness.repo.remove("plugins/alpha/skills/two")
        harness.addSkill("beta", "three")
        harness.repo.commit("second")
        try harness.planAndApply(run: "r2")
        XCTAssertEqual(try harness.records("Skills").keys.sorted(),
                       ["core:plugins/alpha/skills/one", "core:plugins/beta/skills/three"])

        let rollback = try rollbackPlan(harness, run: "r2")
        XCTAssertEqual(rollback.rollbackOf, "r2")
        let actions = Dictionary(uniqueKeysWithValues: rollback.recordChanges.map { ($0.key, $0.action) })
        XCTAssertEqual(actions["core:plugins/alpha/skills/one"], .update)
        XCTAssertEqual(actions["core:plugins/alpha/skills/two"], .recreate)
        XCTAssertEqual(actions["core:plugins/beta/skills/three"], .delete)
        XCTAssertEqual(actions["core:plugins/beta"], .delete)
        XCTAssertTrue(rollback.recordChanges.allSatisfy { $0.reason == .rollback })
        try harness.apply(rollback, run: "r3")

        let restored = try harness.records("Skills")
        XCTAssertEqual(restored.keys.sorted(), afterFirst.keys.sorted())
        XCTAssertEqual(restored["core:plugins/alpha/skills/one"]?.fields["Name"], .text("one"))
        XCTAssertEqual(restored["core:plugins/alpha/skills/two"]?.fields["Name"], .text("two"))
        XCTAssertEqual(restored["core:plugins/alpha/skills/two"]?.fields["Plugin"], afterFirst["core:plugins/alpha/skills/two"]?.fields["Plugin"],
                       "restored links point at the same plugin record")
        XCTAssertNil(try harness.records("Plugins")["core:plugins/beta"])
        // The manifests still want the second commit's content: the next plan says so.
        XCTAssertTrue(try harness.plan().plan.hasChanges)
    }

    func testRollbackOfCreatesDeletesThem() throws {
        let harness = ApplyHarness()
        harness.addSkill("alpha", "one")
        harness.repo.commit("first")
        try harness.planAndApply(run: "r1")
        let rollback = try rollbackPlan(harness, run: "r1")
        XCTAssertEqual(rollback.summary.delete, 2)
        XCTAssertEqual(rollback.manualItems.count, 2, "created tables are left to people")
        try harness.apply(rollback, run: "r2")
        XCTAssertEqual(try harness.records("Skills").count, 0)
        XCTAssertEqual(try harness.state()?.recordCount, 0)
    }

    func testUnknownRunIsAClearError() throws {
        let harness = ApplyHarness()
        harness.addSkill("alpha", "one")
        harness.repo.commit("first")
        try harness.planAndApply(run: "20261123T040000Z-abc123")
        XCTAssertThrowsError(try rollbackPlan(harness, run: "20261123T040000Z-abc124")) { error in
            XCTAssertEqual((error as? ReconError)?.message, "no run '20261123T040000Z-abc124' in \(harness.project.path)/state/runs")
            XCTAssertEqual((error as? ReconError)?.hint, "did you mean '20261123T040000Z-abc123'?")
        }
    }
}
