import Foundation
import TestSupport
import XCTest

/// Two clones, one state (issue 9, point 8): two project folders with the same manifests, one base and
/// one PostgreSQL state; what one applies, the other sees, and neither plans it again.
final class SharedStateCommandTests: XCTestCase {
    func testTwoClonesShareOneState() throws {
        let server = try PostgresServer.shared()
        let schema = "shared_\(UUID().uuidString.prefix(8).lowercased())"
        let base = TemporaryDirectory("shared-base")
        let repo = GitFixture("skills")
        let skill = { (name: String) in
            repo.write("plugins/alpha/plugin.json", #"{"name": "alpha"}"#)
            repo.write("plugins/alpha/skills/\(name)/SKILL.md", "---\nname: \(name)\n---\nBody.\n")
        }
        skill("one")
        skill("two")
        repo.commit("two skills")
        let manifests = """
            target: {provider: sqlite, database: \(base.path)/catalog.sqlite}
            state: {backend: postgres, url_env: TEAM_STATE_URL, schema: \(schema)}
            tables:
              - name: Skills
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Skills, files: ["plugins/*/skills/*/SKILL.md"], as: frontmatter, root: ., fields: {Name: name}}
            """
        let clones = [TemporaryDirectory("clone-a"), TemporaryDirectory("clone-b")]
        for clone in clones { clone.write("manifests/recon.yaml", manifests) }
        let environment = ["TEAM_STATE_URL": server.uri()]
        let recon = { (clone: TemporaryDirectory, arguments: [String]) in
            try ReconProcess.run(arguments, in: clone.path, environment: environment)
        }

        let first = try recon(clones[0], ["apply", "--auto-approve"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let seen = try recon(clones[1], ["plan", "-detailed-exitcode"])
        XCTAssertEqual(seen.status, 0, "clone B sees clone A's apply: \(seen.stdout)\(seen.stderr)")
        let alone = try recon(clones[1], ["plan", "--state-backend", "local"])
        XCTAssertEqual(alone.status, 1, "without the shared state, clone B is told, not left to take the base over")

        skill("three")
        repo.commit("a third")
        let second = try recon(clones[1], ["apply", "--auto-approve"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("1 added"), second.stdout)
        let back = try recon(clones[0], ["plan", "-detailed-exitcode"])
        XCTAssertEqual(back.status, 0, "clone A sees clone B's apply: \(back.stdout)\(back.stderr)")
        let drift = try recon(clones[0], ["drift"])
        XCTAssertEqual(drift.status, 0, drift.stdout + drift.stderr)
        for clone in clones {
            XCTAssertFalse(FileManager.default.fileExists(atPath: clone.path + "/state/recon.state.json"), "no local state in \(clone.path)")
        }
    }
}
