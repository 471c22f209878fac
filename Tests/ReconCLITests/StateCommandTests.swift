import Foundation
import State
import TestSupport
import XCTest

/// `recon state list|show|pull`, on local files and on PostgreSQL, reading the same state the apply wrote.
final class StateCommandTests: XCTestCase {
    private let skill = "core:plugins/alpha/skills/one"

    private func applied(environment: [String: String] = [:], stateBlock: String? = nil) throws -> CLIProject {
        let project = CLIProject()
        if let stateBlock { project.directory.write("manifests/state.yaml", stateBlock) }
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("skills")
        let apply = try ReconProcess.run(["apply", "--auto-approve"], in: project.path, environment: environment)
        XCTAssertEqual(apply.status, 0, apply.stderr)
        return project
    }

    private func check(_ project: CLIProject, environment: [String: String], state: StateModel,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let run = { (arguments: [String]) in try ReconProcess.run(arguments, in: project.path, environment: environment) }
        let list = try run(["state", "list"])
        XCTAssertEqual(list.status, 0, list.stderr, file: file, line: line)
        let rows = list.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(rows.count, 3, list.stdout, file: file, line: line)
        XCTAssertTrue(rows.contains("Skills\t\(skill)\t\(state.records["Skills"]![skill]!.id)"), list.stdout, file: file, line: line)

        let skills = try run(["state", "list", "Skills"])
        XCTAssertEqual(skills.stdout.split(separator: "\n").count, 2, skills.stdout, file: file, line: line)
        let unknown = try run(["state", "list", "Skils"])
        XCTAssertEqual(unknown.status, 1, file: file, line: line)
        XCTAssertTrue(unknown.stderr.contains("did you mean 'Skills'?"), unknown.stderr, file: file, line: line)

        let shown = try run(["state", "show", skill])
        XCTAssertEqual(shown.status, 0, shown.stderr, file: file, line: line)
        XCTAssertTrue(shown.stdout.contains("\"id\": \"\(state.records["Skills"]![skill]!.id)\""), shown.stdout, file: file, line: line)
        XCTAssertTrue(shown.stdout.contains("\"table\": \"Skills\""), shown.stdout, file: file, line: line)
        let missing = try run(["state", "show", "core:nothing"])
        XCTAssertEqual(missing.status, 1, file: file, line: line)
        XCTAssertTrue(missing.stderr.contains("no record with key 'core:nothing'"), missing.stderr, file: file, line: line)

        let pull = try run(["state", "pull"])
        XCTAssertEqual(pull.status, 0, pull.stderr, file: file, line: line)
        XCTAssertEqual(Array(pull.stdout.utf8), StateCodec.encode(state), "pull prints the canonical state", file: file, line: line)
    }

    func testLocalState() throws {
        let project = try applied()
        let state = try XCTUnwrap(try StateStore(path: project.path + "/state/recon.state.json").load(expectedTarget: nil))
        try check(project, environment: [:], state: state)
        let none = try ReconProcess.run(["state", "pull", "--state", "other/recon.state.json"], in: project.path)
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("no state in other/recon.state.json"), none.stderr)
    }

    func testPostgreSQLState() throws {
        let server = try PostgresServer.shared()
        let schema = "statecmd_\(UUID().uuidString.prefix(8).lowercased())"
        let environment = ["TEAM_STATE_URL": server.uri()]
        let project = try applied(environment: environment, stateBlock: "state: {backend: postgres, url_env: TEAM_STATE_URL, schema: \(schema)}\n")
        let store = try PostgresStateStore(connectionString: server.uri(), schema: schema, target: "sqlite:state/catalog.sqlite")
        let state = try XCTUnwrap(try store.load(expectedTarget: nil))
        try check(project, environment: environment, state: state)
    }
}
