import Foundation
import TestSupport
import XCTest

/// A missing state never passes silently (issue 9): drift on no state, and a plan on no state against a
/// base that already holds the manifests' records, fail naming where they looked; a first run on an
/// empty base, and a deliberate one with --allow-empty-state, go on.
final class EmptyStateCommandTests: XCTestCase {
    private func project() -> CLIProject {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("skills")
        return project
    }

    func testDriftOnNoStateFailsNamingTheFileItLookedIn() throws {
        let project = project()
        let drift = try project.recon("drift")
        XCTAssertEqual(drift.status, 1, drift.stdout + drift.stderr)
        XCTAssertTrue(drift.stderr.contains("no state in state/recon.state.json"), drift.stderr)
        XCTAssertTrue(drift.stderr.contains("--state-backend postgres"), drift.stderr)
    }

    func testDriftOnAnEmptyPostgreSQLStateNamesTheSchemaAndTarget() throws {
        let server = try PostgresServer.shared()
        let project = project()
        let schema = "empty_\(UUID().uuidString.prefix(8).lowercased())"
        project.directory.write("manifests/state.yaml", "state: {backend: postgres, url_env: TEAM_STATE_URL, schema: \(schema)}\n")
        let drift = try ReconProcess.run(["drift"], in: project.path, environment: ["TEAM_STATE_URL": server.uri()])
        XCTAssertEqual(drift.status, 1, drift.stdout + drift.stderr)
        XCTAssertTrue(drift.stderr.contains("no state in PostgreSQL schema \(schema) for target sqlite:state/catalog.sqlite"), drift.stderr)
        XCTAssertFalse(drift.stderr.contains(server.password))
    }

    func testAFirstRunOnAnEmptyBaseNeedsNoFlag() throws {
        let project = project()
        let applied = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["2"])
    }

    func testAPlanOnNoStateAgainstABaseHoldingTheManifestsRecordsFails() throws {
        let project = project()
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        // Another clone's view: the same base, no state (here: another state file).
        let plan = try project.recon("plan", "--state", "other/recon.state.json")
        XCTAssertEqual(plan.status, 1, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stderr.contains("no state in other/recon.state.json"), plan.stderr)
        XCTAssertTrue(plan.stderr.contains("3 records"), plan.stderr)
        XCTAssertTrue(plan.stderr.contains("--allow-empty-state"), plan.stderr)
        let apply = try project.recon("apply", "--auto-approve", "--state", "other/recon.state.json")
        XCTAssertEqual(apply.status, 1, apply.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/other/recon.state.json"), "nothing was written")

        let allowed = try project.recon("plan", "--state", "other/recon.state.json", "--allow-empty-state")
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        let adopted = try project.recon("apply", "--auto-approve", "--state", "other/recon.state.json", "--allow-empty-state")
        XCTAssertEqual(adopted.status, 0, adopted.stderr)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["2"], "the records were taken over, not duplicated")
        XCTAssertEqual(try project.recon("drift", "--state", "other/recon.state.json").status, 0)
    }
}
