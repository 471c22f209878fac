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
        try harness.applyRecorded(try harness.plan().plan)
        let afterFirst = try harness.records("Skills")

        harness.addSkill("alpha", "one", name: "Changed")
        harness.repo.remove("plugins/alpha/skills/two")
        harness.addSkill("beta", "three")
        harness.repo.commit("second")
        let second = try harness.applyRecorded(try harness.plan().plan)
        XCTAssertEqual(try harness.records("Skills").keys.sorted(),
                       ["core:plugins/alpha/skills/one", "core:plugins/beta/skills/three"])

        let rollback = try rollbackPlan(harness, run: second)
        XCTAssertEqual(rollback.rollbackOf, second)
        let actions = Dictionary(uniqueKeysWithValues: rollback.recordChanges.map { ($0.key, $0.action) })
        XCTAssertEqual(actions["core:plugins/alpha/skills/one"], .update)
        XCTAssertEqual(actions["core:plugins/alpha/skills/two"], .recreate)
        XCTAssertEqual(actions["core:plugins/beta/skills/three"], .delete)
        XCTAssertEqual(actions["core:plugins/beta"], .delete)
        XCTAssertTrue(rollback.recordChanges.allSatisfy { $0.reason == .rollback })
        XCTAssertEqual(rollback.rollbackConflicts, [])
        try harness.applyRecorded(rollback)

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
        let first = try harness.applyRecorded(try harness.plan().plan)
        let rollback = try rollbackPlan(harness, run: first)
        XCTAssertEqual(rollback.summary.delete, 2)
        XCTAssertEqual(rollback.manualItems.count, 2, "created tables are left to people")
        try harness.applyRecorded(rollback)
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

    /// A run stopped after two batches, then a run that does the rest: undoing the first deletes only its records.
    func testRollbackOfAStoppedRunUndoesOnlyItsBatches() throws {
        let harness = ApplyHarness()
        harness.batchSize = 2
        for index in 0..<9 { harness.addSkill("alpha", "s\(index)") }
        harness.repo.commit("first")
        let first = try harness.applyRecorded(try harness.plan().plan, stopAfterBatches: 2)
        let committed = Set(try harness.records("Skills").keys).union(try harness.records("Plugins").keys)
        XCTAssertEqual(committed.count, 3, "the plugin batch and one skills batch")
        try harness.applyRecorded(try harness.plan().plan)
        XCTAssertEqual(try harness.records("Skills").count, 9)

        let rollback = try rollbackPlan(harness, run: first)
        XCTAssertEqual(rollback.recordChanges.count, 3)
        XCTAssertTrue(rollback.recordChanges.allSatisfy { $0.action == .delete })
        XCTAssertEqual(Set(rollback.recordChanges.map(\.key)), committed)
        try harness.applyRecorded(rollback)
        XCTAssertEqual(Set(try harness.records("Skills").keys), Set((0..<9).map { "core:plugins/alpha/skills/s\($0)" })
            .subtracting(committed))
    }

    /// Run 2 renamed a record, run 3 renamed it again: undoing run 2 is a conflict, not an overwrite of run 3.
    func testUpdateChangedByALaterRunIsAConflict() throws {
        let harness = ApplyHarness()
        harness.addSkill("alpha", "one")
        harness.repo.commit("first")
        try harness.applyRecorded(try harness.plan().plan)
        harness.addSkill("alpha", "one", name: "v2")
        harness.repo.commit("second")
        let second = try harness.applyRecorded(try harness.plan().plan)
        harness.addSkill("alpha", "one", name: "v3")
        harness.repo.commit("third")
        try harness.applyRecorded(try harness.plan().plan)

        let rollback = try rollbackPlan(harness, run: second)
        XCTAssertEqual(rollback.recordChanges, [])
        let key = "core:plugins/alpha/skills/one"
        XCTAssertEqual(rollback.rollbackConflicts.map(\.key), [key])
        XCTAssertEqual(rollback.rollbackConflicts.first?.reason, .changedSince)
        XCTAssertEqual(rollback.rollbackConflicts.first?.fields, [RollbackConflict.Field(name: "Name", written: .text("v2"), current: .text("v3"))])
        XCTAssertEqual(rollback.summary.conflicts, 1)
        XCTAssertFalse(rollback.hasChanges)
        let decoded = try PlanFile.decode(PlanFile.encode(rollback))
        XCTAssertEqual(decoded.rollbackConflicts, rollback.rollbackConflicts, "the plan file keeps the conflicts")
        XCTAssertTrue(PlanTextRenderer(color: false).render(rollback).contains("Name: the run wrote \"v2\", now \"v3\""))
    }

    /// Run 2 deleted a record and run 3 created it again: undoing run 2 must not make a second one.
    func testDeleteRecreatedByALaterRunIsAConflict() throws {
        let harness = ApplyHarness()
        harness.addSkill("alpha", "one")
        harness.addSkill("alpha", "two")
        harness.repo.commit("first")
        try harness.applyRecorded(try harness.plan().plan)
        harness.repo.remove("plugins/alpha/skills/two")
        harness.repo.commit("second")
        let second = try harness.applyRecorded(try harness.plan().plan)
        harness.addSkill("alpha", "two")
        harness.repo.commit("third")
        try harness.applyRecorded(try harness.plan().plan)

        let rollback = try rollbackPlan(harness, run: second)
        XCTAssertEqual(rollback.recordChanges, [])
        XCTAssertEqual(rollback.rollbackConflicts.map(\.reason), [.recreatedSince])
        try harness.applyRecorded(rollback)
        XCTAssertEqual(try harness.records("Skills").count, 2)
    }
}
