import Apply
import Foundation
import State
import Plan
import ReconCore
import XCTest

final class ApplierTests: XCTestCase {
    func testColdApplyCreatesSchemaAndRecordsThenNothingIsLeft() throws {
        let harness = ApplyHarness()
        harness.addSkill("alpha", "one")
        harness.addSkill("alpha", "two")
        harness.addSkill("beta", "three")
        harness.repo.commit("catalog")
        let first = try harness.plan().plan
        XCTAssertEqual(first.summary.add, 5)
        let result = try harness.apply(first, run: "r1")
        XCTAssertEqual(result.status, .succeeded)
        XCTAssertEqual(result.counters.created, 5)

        let skills = try harness.records("Skills")
        let plugins = try harness.records("Plugins")
        XCTAssertEqual(skills.count, 3)
        XCTAssertEqual(plugins.count, 2)
        let one = try XCTUnwrap(skills["core:plugins/alpha/skills/one"])
        XCTAssertEqual(one.fields["Plugin"], .list([plugins["core:plugins/alpha"]!.id]), "links point at records created in the same run")
        XCTAssertEqual(one.fields["Status"], .text("Draft"), "protected values are written on create")

        let again = try harness.plan().plan
        XCTAssertFalse(again.hasChanges, PlanTextRenderer(color: false).render(again))
        XCTAssertEqual(again.recordChanges, [])
        let state = try XCTUnwrap(try harness.state())
        XCTAssertEqual(state.recordCount, 5)
        XCTAssertEqual(state.repos["core"]?.commit, harness.repo.head)
        XCTAssertTrue(harness.project.exists("state/runs/r1/backup/before.json"))
        XCTAssertTrue(harness.project.exists("state/runs/r1/plan.json"))
    }

    func testLinksToRecordsLaterInTheSameBatchAreWrittenByTheLinkPass() throws {
        let harness = ApplyHarness()
        harness.batchSize = 1
        harness.addSkill("alpha", "one")
        harness.repo.commit("one")
        try harness.planAndApply(run: "r1")
        let skills = try harness.records("Skills")
        let plugins = try harness.records("Plugins")
        XCTAssertEqual(skills["core:plugins/alpha/skills/one"]?.fields["Plugin"], .list([plugins["core:plugins/alpha"]!.id]))
        XCTAssertFalse(try harness.plan().plan.hasChanges)
    }

    func testChangesAndDeletionsReachTheBaseAndProtectedFieldsSurvive() throws {
        let harness = ApplyHarness()
        harness.addSkill("alpha", "one")
        harness.addSkill("alpha", "two")
        harness.repo.commit("first")
        try harness.planAndApply(run: "r1")
        // A person curates Status in the base.
        let base = harness.provider()
        let table = try XCTUnwrap(try base.inspectSchema().table(named: "Skills"))
        let one = try XCTUnwrap(try harness.records("Skills")["core:plugins/alpha/skills/one"])
        _ = try base.update([.init(id: one.id, fields: ["Status": .text("Published")])], in: table)

        harness.addSkill("alpha", "one", name: "One renamed")
        harness.repo.remove("plugins/alpha/skills/two")
        harness.repo.commit("second")
        let plan = try harness.plan().plan
        XCTAssertEqual(plan.summary.change, 1)
        XCTAssertEqual(plan.summary.delete, 1)
        let result = try harness.apply(plan, run: "r2")
        XCTAssertEqual(result.counters.updated, 1)
        XCTAssertEqual(result.counters.deleted, 1)
        let skills = try harness.records("Skills")
        XCTAssertEqual(skills.keys.sorted(), ["core:plugins/alpha/skills/one"])
        XCTAssertEqual(skills["core:plugins/alpha/skills/one"]?.fields["Name"], .text("One renamed"))
        XCTAssertEqual(skills["core:plugins/alpha/skills/one"]?.fields["Status"], .text("Published"))
        XCTAssertFalse(try harness.plan().plan.hasChanges)
    }

    func testStalePlansAreRefusedAndNothingIsWritten() throws {
        let harness = ApplyHarness()
        harness.addSkill("alpha", "one")
        harness.repo.commit("first")
        try harness.planAndApply(run: "r1")

        harness.addSkill("alpha", "one", name: "Second name")
        harness.repo.commit("second")
        let saved = try harness.plan().plan
        // The base changes under the saved plan.
        let base = harness.provider()
        let table = try XCTUnwrap(try base.inspectSchema().table(named: "Skills"))
        let one = try XCTUnwrap(try harness.records("Skills")["core:plugins/alpha/skills/one"])
        _ = try base.update([.init(id: one.id, fields: ["Name": .text("typed by hand")])], in: table)
        let serial = try harness.state()?.serial
        XCTAssertThrowsError(try harness.apply(saved, run: "r2")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("Skills core:plugins/alpha/skills/one (\(one.id)) changed in the base"), text)
            XCTAssertTrue(text.contains("Make a new plan"), text)
        }
        XCTAssertEqual(try harness.state()?.serial, serial, "a refused plan writes no state")
        XCTAssertFalse(harness.project.exists("state/runs/r2"), "a refused plan writes no backup")

        // Another apply moves the state: the old plan is stale by serial.
        let fresh = try harness.plan().plan
        try harness.apply(fresh, run: "r3")
        XCTAssertThrowsError(try harness.apply(fresh, run: "r4")) { error in
            XCTAssertTrue("\(error)".contains("the state moved from serial"), "\(error)")
        }
    }

    func testCancelledRunKeepsFinishedBatchesAndTheNextPlanShowsTheRest() throws {
        let harness = ApplyHarness()
        harness.batchSize = 2
        for index in 0..<9 { harness.addSkill("alpha", "s\(index)") }
        harness.repo.commit("nine")
        let result = try harness.apply(try harness.plan().plan, run: "r1", stopAfterBatches: 2)
        XCTAssertEqual(result.status, .cancelled)
        XCTAssertEqual(result.counters.created, 3, "the plugin's batch of one, then one batch of two skills")
        XCTAssertEqual(try harness.records("Skills").count + harness.records("Plugins").count, 3)
        XCTAssertEqual(try harness.state()?.recordCount, 3)
        let rest = try harness.plan().plan
        XCTAssertEqual(rest.summary.add, 7)
        try harness.apply(rest, run: "r2")
        XCTAssertEqual(try harness.records("Skills").count, 9)
        XCTAssertFalse(try harness.plan().plan.hasChanges)
    }

    func testArchiveTicksTheArchiveField() throws {
        let harness = ApplyHarness(onDelete: "archive")
        harness.addSkill("alpha", "one")
        harness.repo.commit("first")
        try harness.planAndApply(run: "r1")
        harness.repo.remove("plugins/alpha/skills/one")
        harness.repo.commit("gone")
        let result = try harness.planAndApply(run: "r2")
        XCTAssertEqual(result.counters.archived, 1)
        XCTAssertEqual(try harness.records("Skills")["core:plugins/alpha/skills/one"]?.fields["Archived"], .bool(true))
        XCTAssertFalse(try harness.plan().plan.hasChanges)
    }
}

extension ApplierTests {
    /// A regression: adopts with nothing to write took batch slots, so updates cost extra requests.
    func testAdoptsWithNothingToWriteDoNotTakeWriteBatches() throws {
        let harness = ApplyHarness()
        for index in 0..<10 { harness.addSkill("alpha", "s\(index)") }
        harness.repo.commit("ten")
        try harness.planAndApply(run: "r1")
        // The state is lost: every record is adopted; two of them also change.
        try FileManager.default.removeItem(atPath: harness.statePath)
        harness.addSkill("alpha", "s3", name: "changed three")
        harness.addSkill("alpha", "s7", name: "changed seven")
        harness.repo.commit("two changes")
        harness.batchSize = 2
        let plan = try harness.plan(allowEmptyState: true).plan
        XCTAssertEqual(plan.recordChanges.filter { $0.action == .adopt }.count, 11)
        let observer = BatchCounter()
        let applier = Applier(plan: plan, manifest: try harness.manifest(), provider: harness.provider(),
                              store: StateStore(path: harness.statePath), keepHistory: 10, observer: observer)
        _ = try applier.run(try applier.check(), runDirectory: harness.project.path + "/state/runs/r2")
        XCTAssertEqual(observer.updateBatches, 1, "two writes in batches of two: one batch")
        XCTAssertEqual(try harness.state()?.recordCount, 11, "every adopted record is in the state")
        XCTAssertEqual(try harness.records("Skills")["core:plugins/alpha/skills/s3"]?.fields["Name"], .text("changed three"))
        XCTAssertFalse(try harness.plan().plan.hasChanges)
    }
}

extension ApplierTests {
    /// The other half of the clear-only regression: the cleared cell really is emptied in the base.
    func testAClearedFieldIsEmptiedInTheBase() throws {
        let harness = ApplyHarness()
        harness.addSkill("alpha", "one")
        harness.repo.commit("one")
        try harness.planAndApply(run: "r1")
        harness.repo.write("plugins/alpha/skills/one/SKILL.md", "---\ndescription: no name any more\n---\nBody.\n")
        harness.repo.commit("name removed")
        let plan = try harness.plan().plan
        XCTAssertTrue(plan.hasChanges)
        let result = try harness.apply(plan, run: "r2")
        XCTAssertEqual(result.counters.updated, 1)
        XCTAssertNil(try harness.records("Skills")["core:plugins/alpha/skills/one"]?.fields["Name"])
        XCTAssertFalse(try harness.plan().plan.hasChanges)
    }
}
