import Foundation
import TestSupport
import XCTest

/// A create batch committed in the base by a run killed before its outcome was written: the records are Recon's
/// and stay managed, so they are deleted when no longer desired instead of being left as unmanaged orphans.
final class InFlightBatchTests: XCTestCase {

    private func project(skills: Int) -> CLIProject {
        let project = CLIProject(protected: false)
        for index in 0..<skills { project.skill("p0", "s\(index)") }
        project.repo.commit("skills")
        return project
    }

    /// Applies with the test-only hook: SIGKILL right after batch `batch` reached the base, before its outcomes.
    private func killedApply(_ project: CLIProject, afterBatch batch: Int = 2) throws {
        let result = try ReconProcess.run(["apply", "--auto-approve", "--allow", "RC101", "--batch-size", "4"], in: project.path,
                                          environment: ["RECON_TEST_KILL_AFTER_BATCH": "\(batch)"])
        XCTAssertNotEqual(result.status, 0, "the hook kills the run: \(result.stdout)")
    }

    private func removeAllSkills(_ project: CLIProject, count: Int) {
        for index in 0..<count { project.repo.remove("plugins/p0/skills/s\(index)") }
        project.repo.commit("skills removed")
    }

    func testRecordsOfTwoKilledRunsAreDeletedWhenNoLongerDesired() throws {
        let project = project(skills: 8)
        // Run 1: Plugins, then the first 4 skills reach the base; killed before their outcomes.
        try killedApply(project)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["4"])
        // Run 2: would adopt those 4 at its end, but dies after the next 4 skills reach the base.
        try killedApply(project, afterBatch: 1)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["8"])

        removeAllSkills(project, count: 8)
        let plan = try project.recon("plan")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("8 to delete"), plan.stdout)
        XCTAssertTrue((plan.stdout + plan.stderr).contains("created by interrupted run"), plan.stdout + plan.stderr)
        let apply = try project.recon("apply", "--auto-approve", "--allow", "RC101")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["0"], "no orphan Recon created")
        let settled = try project.recon("plan", "-detailed-exitcode")
        XCTAssertEqual(settled.status, 0, settled.stdout)
    }

    func testARecordAPersonChangedAfterTheKillIsNotClaimed() throws {
        let project = project(skills: 4)
        try killedApply(project)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["4"])
        let edited = try XCTUnwrap(project.sql("SELECT Key FROM Skills ORDER BY Key LIMIT 1").first)
        _ = project.sql("UPDATE Skills SET Name = 'made by hand' WHERE Key = '\(edited)'")

        removeAllSkills(project, count: 4)
        let plan = try project.recon("plan")
        XCTAssertTrue(plan.stdout.contains("3 to delete"), plan.stdout)
        let apply = try project.recon("apply", "--auto-approve", "--allow", "RC101")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(project.sql("SELECT Key FROM Skills"), [edited], "the person's record is left alone")
    }

    func testAStillDesiredRecordOfAKilledRunIsTakenOverOnce() throws {
        let project = project(skills: 4)
        try killedApply(project)
        let apply = try project.recon("apply", "--auto-approve", "--allow", "RC101")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["4"])
        let settled = try project.recon("plan", "-detailed-exitcode")
        XCTAssertEqual(settled.status, 0, settled.stdout)
        removeAllSkills(project, count: 4)
        XCTAssertTrue(try project.recon("plan").stdout.contains("4 to delete"))
    }

    func testASavedPlanDeletingRecoveredRecordsIsApplied() throws {
        let project = project(skills: 4)
        try killedApply(project)
        removeAllSkills(project, count: 4)
        let plan = try project.recon("plan", "-out", "plan.json")
        XCTAssertTrue(plan.stdout.contains("4 to delete"), plan.stdout)
        let apply = try project.recon("apply", "plan.json", "--allow", "RC101")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["0"])
    }

    /// Run 2 adopts run 1's records with new values and dies after writing them: run 2's intent claims them.
    func testRecordsAdoptedWithNewValuesByAKilledRunAreDeletedWhenNoLongerDesired() throws {
        let project = project(skills: 4)
        try killedApply(project)
        for index in 0..<4 { project.skill("p0", "s\(index)", title: "renamed") }
        project.repo.commit("renamed")
        try killedApply(project, afterBatch: 1)
        XCTAssertEqual(project.sql("SELECT DISTINCT Name FROM Skills"), ["renamed"], "the adoption reached the base")

        removeAllSkills(project, count: 4)
        let plan = try project.recon("plan")
        XCTAssertTrue(plan.stdout.contains("4 to delete"), plan.stdout)
        XCTAssertEqual(try project.recon("apply", "--auto-approve", "--allow", "RC101").status, 0)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["0"])
    }
}
