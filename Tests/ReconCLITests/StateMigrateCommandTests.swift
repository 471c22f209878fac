import Foundation
import TestSupport
import XCTest

/// `recon state migrate` (issue 9): local → PostgreSQL → local moves the state, its history and its runs
/// byte for byte, and a destination holding another state is refused with nothing changed. The manifests
/// name the PostgreSQL state; `--state-backend local` says the state is still local.
final class StateMigrateCommandTests: XCTestCase {
    private func recon(_ project: CLIProject, _ arguments: [String], _ environment: [String: String]) throws -> ReconProcess.Result {
        try ReconProcess.run(arguments, in: project.path, environment: environment)
    }

    /// `recon runs --format json`, without the field that names where each run is kept.
    private func runs(_ project: CLIProject, _ environment: [String: String], backend: String) throws -> NSArray {
        let listed = try recon(project, ["runs", "--format", "json", "--state-backend", backend], environment)
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let document = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
        let runs = (document?["runs"] as? [[String: Any]] ?? []).map { run in run.filter { $0.key != "directory" } }
        return runs as NSArray
    }

    private func pull(_ project: CLIProject, _ environment: [String: String], backend: String) throws -> String {
        let pulled = try recon(project, ["state", "pull", "--state-backend", backend], environment)
        XCTAssertEqual(pulled.status, 0, pulled.stderr)
        return pulled.stdout
    }

    func testARoundTripLocalToPostgreSQLAndBackKeepsStateHistoryAndRuns() throws {
        let server = try PostgresServer.shared()
        let schema = "migrate_\(UUID().uuidString.prefix(8).lowercased())"
        let environment = ["TEAM_STATE_URL": server.uri()]
        let project = CLIProject()
        project.directory.write("manifests/state.yaml", "state:\n  backend: postgres\n  url_env: TEAM_STATE_URL\n  schema: \(schema)\n")
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try recon(project, ["apply", "--auto-approve", "--state-backend", "local"], environment).status, 0)
        project.skill("alpha", "two")
        project.repo.commit("two")
        XCTAssertEqual(try recon(project, ["apply", "--auto-approve", "--state-backend", "local"], environment).status, 0)
        let state = try pull(project, environment, backend: "local")
        let listed = try runs(project, environment, backend: "local")
        XCTAssertEqual(listed.count, 2)

        let moved = try recon(project, ["state", "migrate", "--to", "postgres", "--state-backend", "local"], environment)
        XCTAssertEqual(moved.status, 0, moved.stderr + moved.stdout)
        XCTAssertTrue(moved.stdout.contains("2 runs"), moved.stdout)
        XCTAssertTrue(moved.stdout.contains("Verified there"), moved.stdout)
        XCTAssertTrue(moved.stdout.contains("backend: postgres\n  url_env: TEAM_STATE_URL\n  schema: \(schema)"), moved.stdout)
        XCTAssertFalse(moved.stdout.contains(server.password), "the URI never shows")
        XCTAssertEqual(try pull(project, environment, backend: "postgres"), state, "byte-identical state")
        XCTAssertEqual(try runs(project, environment, backend: "postgres"), listed, "the same runs")
        XCTAssertTrue(FileManager.default.fileExists(atPath: project.path + "/state/recon.state.json"), "the source is kept")

        let again = try recon(project, ["state", "migrate", "--to", "postgres", "--state-backend", "local"], environment)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("nothing was moved"), again.stdout)

        // Back to local, into an empty state folder.
        try FileManager.default.moveItem(atPath: project.path + "/state", toPath: project.path + "/state-before")
        try FileManager.default.createDirectory(atPath: project.path + "/state", withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: project.path + "/state-before/catalog.sqlite", toPath: project.path + "/state/catalog.sqlite")
        let back = try recon(project, ["state", "migrate", "--to", "local"], environment)
        XCTAssertEqual(back.status, 0, back.stderr + back.stdout)
        XCTAssertEqual(try pull(project, environment, backend: "local"), state, "byte-identical state")
        XCTAssertEqual(try runs(project, environment, backend: "local"), listed, "the same runs")
        let history = try FileManager.default.contentsOfDirectory(atPath: project.path + "/state/history").sorted()
        XCTAssertEqual(history, try FileManager.default.contentsOfDirectory(atPath: project.path + "/state-before/history").sorted())
        let plan = try recon(project, ["plan", "-detailed-exitcode", "--state-backend", "local"], environment)
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
    }

    /// Drift checks and hook results are runs and ledger fields: they move with the runs, byte for byte.
    func testDriftChecksAndHookResultsMoveWithTheRuns() throws {
        let server = try PostgresServer.shared()
        let schema = "migrate_\(UUID().uuidString.prefix(8).lowercased())"
        let environment = ["TEAM_STATE_URL": server.uri()]
        let project = CLIProject()
        project.directory.write("manifests/state.yaml", "state:\n  backend: postgres\n  url_env: TEAM_STATE_URL\n  schema: \(schema)\n")
        project.hooks("hooks:\n  post_apply:\n    - {run: [\"/bin/sh\", \"-c\", \"echo applied\"]}\n")
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try recon(project, ["apply", "--auto-approve", "--state-backend", "local"], environment).status, 0)
        XCTAssertEqual(try recon(project, ["drift", "--state-backend", "local"], environment).status, 0)
        let listed = try runs(project, environment, backend: "local")
        let local = try XCTUnwrap(listed as? [[String: Any]])
        XCTAssertEqual(local.map { $0["operation"] as? String }, ["drift", "apply"])
        XCTAssertNotNil(local[0]["drift"], "\(local)")
        XCTAssertEqual((local[1]["hooks"] as? [[String: Any]])?.first?["output"] as? String, "applied\n")

        let moved = try recon(project, ["state", "migrate", "--to", "postgres", "--state-backend", "local"], environment)
        XCTAssertEqual(moved.status, 0, moved.stderr + moved.stdout)
        XCTAssertTrue(moved.stdout.contains("2 runs"), moved.stdout)
        XCTAssertEqual(try runs(project, environment, backend: "postgres"), listed, "the drift check and the hook results, as they were")
    }

    func testADestinationHoldingAnotherStateIsRefusedAndNothingChanges() throws {
        let server = try PostgresServer.shared()
        let schema = "migrate_\(UUID().uuidString.prefix(8).lowercased())"
        let environment = ["TEAM_STATE_URL": server.uri()]
        let project = CLIProject()
        project.directory.write("manifests/state.yaml", "state:\n  backend: postgres\n  url_env: TEAM_STATE_URL\n  schema: \(schema)\n")
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try recon(project, ["apply", "--auto-approve", "--state-backend", "local"], environment).status, 0)
        XCTAssertEqual(try recon(project, ["state", "migrate", "--to", "postgres", "--state-backend", "local"], environment).status, 0)
        let shared = try pull(project, environment, backend: "postgres")

        project.skill("alpha", "two")
        project.repo.commit("two")
        XCTAssertEqual(try recon(project, ["apply", "--auto-approve", "--state-backend", "local"], environment).status, 0, "the local state moves on")
        let refused = try recon(project, ["state", "migrate", "--to", "postgres", "--state-backend", "local"], environment)
        XCTAssertEqual(refused.status, 1, refused.stdout)
        XCTAssertTrue(refused.stderr.contains("already holds a state"), refused.stderr)
        XCTAssertEqual(try pull(project, environment, backend: "postgres"), shared, "nothing changed there")

        let same = try recon(project, ["state", "migrate", "--to", "local", "--state-backend", "local"], environment)
        XCTAssertEqual(same.status, 1)
        XCTAssertTrue(same.stderr.contains("already kept in local"), same.stderr)
        let bad = try recon(project, ["state", "migrate", "--to", "s3"], environment)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("invalid --to 's3'"), bad.stderr)
    }

    /// A migration that fails half way (here: the run folders cannot be made) removes what it wrote.
    func testAMigrationThatFailsHalfWayLeavesNothingBehind() throws {
        let server = try PostgresServer.shared()
        let schema = "migrate_\(UUID().uuidString.prefix(8).lowercased())"
        let environment = ["TEAM_STATE_URL": server.uri()]
        let project = CLIProject()
        project.directory.write("manifests/state.yaml", "state:\n  backend: postgres\n  url_env: TEAM_STATE_URL\n  schema: \(schema)\n")
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try recon(project, ["apply", "--auto-approve"], environment).status, 0, "applied to the PostgreSQL state")
        project.directory.write("state/runs", "a file where the run folders would go\n")

        let failed = try recon(project, ["state", "migrate", "--to", "local"], environment)
        XCTAssertEqual(failed.status, 1, failed.stdout)
        XCTAssertTrue(failed.stderr.contains("was removed again"), failed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/state/recon.state.json"), "no state written")
        let history = (try? FileManager.default.contentsOfDirectory(atPath: project.path + "/state/history")) ?? []
        XCTAssertEqual(history, [], "no history written")
        XCTAssertEqual(try pull(project, environment, backend: "postgres").isEmpty, false, "the source is untouched")
    }
}
