import Foundation
import TestSupport
import XCTest

/// Errors the real `recon` reports: a damaged file is named by its path, an integrity error fails the plan.
final class FailureReportingTests: XCTestCase {
    private func appliedProject() throws -> CLIProject {
        let project = CLIProject()
        project.skill("p0", "s0")
        project.skill("p0", "s1")
        project.repo.commit("two skills")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        return project
    }

    private func onlyRun(_ project: CLIProject) throws -> String {
        try XCTUnwrap(project.directory.list("state/runs").filter { !$0.hasPrefix(".") }.first, "one run folder")
    }

    func testTwoBaseRecordsWithOneKeyFailThePlan() throws {
        let project = try appliedProject()
        let index = try XCTUnwrap(project.sql("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Skills' AND name LIKE '_recon_key_%'").first)
        _ = project.sql("DROP INDEX \"\(index)\"; INSERT INTO Skills (_recon_id, Key, Name) SELECT 'recDUPLICATE', Key, Name FROM Skills ORDER BY Key LIMIT 1")
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills").first, "3")

        let detailed = try project.recon("plan", "-detailed-exitcode")
        XCTAssertEqual(detailed.status, 1, "an integrity error is an error, not 'no changes': \(detailed.stdout)\(detailed.stderr)")
        XCTAssertTrue((detailed.stdout + detailed.stderr).lowercased().contains("integrity error"), detailed.stdout + detailed.stderr)
        XCTAssertEqual(try project.recon("plan").status, 1)
    }

    func testADamagedBackupIsNamedByItsPath() throws {
        let project = try appliedProject()
        let run = try onlyRun(project)
        let backup = "state/runs/\(run)/backup/before.json"
        XCTAssertTrue(project.directory.exists(backup))
        project.directory.write("{\"format_version\": 1, \"records\": [", to: backup)
        let rollback = try project.recon("rollback", run)
        XCTAssertEqual(rollback.status, 1, rollback.stdout)
        XCTAssertTrue(rollback.stderr.contains(project.directory.file(backup)) || rollback.stderr.contains(backup), rollback.stderr)
    }

    func testADamagedRunPlanIsNamedByItsPath() throws {
        let project = try appliedProject()
        let run = try onlyRun(project)
        let plan = "state/runs/\(run)/plan.json"
        project.directory.write("{\"format_version\": 1, \"body\": [", to: plan)
        let rollback = try project.recon("rollback", run)
        XCTAssertEqual(rollback.status, 1, rollback.stdout)
        XCTAssertTrue(rollback.stderr.contains(plan), rollback.stderr)
    }
}
