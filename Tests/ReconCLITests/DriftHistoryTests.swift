import Foundation
import TestSupport
import XCTest

/// Every `recon drift` is kept in the run history with its counts (issue 11), and the commands that read the
/// history treat a drift check as what it is: a read of the base that changed nothing.
final class DriftHistoryTests: XCTestCase {
    private func appliedProject() throws -> CLIProject {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.skill("alpha", "three")
        project.repo.commit("three skills")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        return project
    }

    private func runs(_ project: CLIProject) throws -> [[String: Any]] {
        let listed = try project.recon("runs", "--format", "json")
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(document["runs"] as? [[String: Any]])
    }

    func testEachDriftCheckIsRecordedWithItsCountsPerTable() throws {
        let project = try appliedProject()
        XCTAssertEqual(try project.recon("drift").status, 0)
        _ = project.sql("UPDATE Skills SET Name = 'by hand' WHERE Key = 'core:plugins/alpha/skills/one'")
        _ = project.sql("DELETE FROM Skills WHERE Key = 'core:plugins/alpha/skills/two'")
        _ = project.sql("INSERT INTO Skills (_recon_id, Key, Name) VALUES ('recHAND1', 'hand:made', 'Made by hand')")
        XCTAssertEqual(try project.recon("drift").status, 2)

        let listed = try runs(project)
        XCTAssertEqual(listed.map { $0["operation"] as? String }, ["drift", "drift", "apply"], "newest first")
        let found = try XCTUnwrap(listed[0]["drift"] as? [String: Any])
        XCTAssertEqual(found["exit_code"] as? Int, 2)
        let tables = try XCTUnwrap(found["tables"] as? [String: [String: Int]])
        XCTAssertEqual(tables["Skills"], ["changed": 1, "missing": 1, "unexpected": 1])
        XCTAssertEqual(tables["Plugins"], ["changed": 0, "missing": 0, "unexpected": 0])
        let clean = try XCTUnwrap(listed[1]["drift"] as? [String: Any])
        XCTAssertEqual(clean["exit_code"] as? Int, 0)
        XCTAssertEqual(listed[0]["status"] as? String, "succeeded")
        XCTAssertNotNil(listed[0]["host"] as? String)
        XCTAssertEqual(listed[0]["host"] as? String, listed[2]["host"] as? String)
        XCTAssertTrue((listed[0]["owner"] as? String)?.hasSuffix("@" + (listed[0]["host"] as? String ?? "?")) == true)
        XCTAssertEqual(listed[0]["target"] as? String, listed[2]["target"] as? String)

        let text = try project.recon("runs")
        XCTAssertTrue(text.stdout.contains("\(listed[0]["id"] as! String): drift check: 1 changed, 1 missing, 1 unexpected, 0 schema (exit 2)"),
                      text.stdout)
    }

    func testAFailedDriftCheckIsRecordedAsFailed() throws {
        let project = try appliedProject()
        project.directory.write("state/catalog.sqlite", String(repeating: "not a database ", count: 512))
        let drift = try project.recon("drift")
        XCTAssertEqual(drift.status, 1)
        let listed = try runs(project)
        XCTAssertEqual(listed.first?["operation"] as? String, "drift", drift.stderr)
        XCTAssertEqual(listed.first?["status"] as? String, "failed")
        XCTAssertNotNil(listed.first?["error"] as? String)
    }

    func testBadManifestsRecordNothing() throws {
        let project = try appliedProject()
        project.directory.write("manifests/policy.yaml", "retention: {drift_checks: {keep_last: 0}}\n")
        let drift = try project.recon("drift")
        XCTAssertEqual(drift.status, 1)
        XCTAssertTrue(drift.stderr.contains("policy.yaml:1:"), drift.stderr)
        // 'runs' reads the manifests to find the run store (issue 9): list with them fixed.
        try FileManager.default.removeItem(atPath: project.path + "/manifests/policy.yaml")
        XCTAssertEqual(try runs(project).map { $0["operation"] as? String }, ["apply"])
    }

    func testRollbackOfADriftCheckIsRefused() throws {
        let project = try appliedProject()
        XCTAssertEqual(try project.recon("drift").status, 0)
        let check = try XCTUnwrap(try runs(project).first?["id"] as? String)
        let rollback = try project.recon("rollback", check)
        XCTAssertEqual(rollback.status, 1)
        XCTAssertTrue(rollback.stderr.contains("run '\(check)' is a drift check: it only read the base, so there is nothing to roll back"),
                      rollback.stderr)
    }

    func testDriftChecksAreKeptUnderTheirOwnRetentionApartFromRuns() throws {
        let project = try appliedProject()
        project.directory.write("manifests/policy.yaml", "retention: {runs: {keep_last: 1}, drift_checks: {keep_last: 2}}\n")
        for _ in 0..<4 { XCTAssertEqual(try project.recon("drift").status, 0) }
        let listed = try runs(project)
        XCTAssertEqual(listed.map { $0["operation"] as? String }, ["drift", "drift", "apply"],
                       "a drift check prunes older checks only; the apply (and its backup) stays")
        XCTAssertEqual(listed.last?["has_backup"] as? Bool, true)

        project.directory.write("manifests/policy.yaml", "retention: {runs: {keep_last: 1}, drift_checks: {keep_last: 1}}\n")
        let prune = try project.recon("prune", "--format", "json")
        XCTAssertEqual(prune.status, 0, prune.stderr)
        XCTAssertTrue(prune.stdout.contains("\"kind\": \"drift_check\""), prune.stdout)
        XCTAssertEqual(try runs(project).map { $0["operation"] as? String }, ["drift", "apply"])
    }

    /// A finished drift check is newer than a killed apply; the apply's records that reached the base before
    /// its outcomes must still be claimed (the claim search stopped at the first finished run of any kind).
    func testADriftCheckDoesNotHideTheRecordsOfAKilledApply() throws {
        let project = CLIProject(protected: false)
        for index in 0..<4 { project.skill("p0", "s\(index)") }
        project.repo.commit("skills")
        let killed = try ReconProcess.run(["apply", "--auto-approve", "--batch-size", "4"], in: project.path,
                                          environment: ["RECON_TEST_KILL_AFTER_BATCH": "2"])
        XCTAssertNotEqual(killed.status, 0, killed.stdout)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["4"])
        let drift = try project.recon("drift")
        XCTAssertNotEqual(drift.status, 1, drift.stderr)
        XCTAssertEqual(try runs(project).first?["operation"] as? String, "drift")

        for index in 0..<4 { project.repo.remove("plugins/p0/skills/s\(index)") }
        project.repo.commit("skills removed")
        let plan = try project.recon("plan")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("4 to delete"), plan.stdout)
        XCTAssertTrue((plan.stdout + plan.stderr).contains("created by interrupted run"), plan.stdout + plan.stderr)
    }
}
