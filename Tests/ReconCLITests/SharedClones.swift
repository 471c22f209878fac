import Foundation
import TestSupport
import XCTest

/// Two project folders that share no files, with the same manifests: one SQLite base (by absolute path), one
/// repo, and the state in PostgreSQL under a schema of their own, so tests never share rows.
final class SharedClones {
    let base = TemporaryDirectory("shared-base")
    let repo = GitFixture("skills")
    let clones = [TemporaryDirectory("clone-a"), TemporaryDirectory("clone-b")]
    let schema = "runs_\(UUID().uuidString.prefix(8).lowercased())"
    let environment: [String: String]

    /// `extra` is appended to the manifests (a retention block).
    init(server: PostgresServer, skills: Int, extra: String = "") {
        environment = ["TEAM_STATE_URL": server.uri()]
        for index in 0..<skills { skill("s\(index)") }
        repo.commit("skills")
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
            \(extra)
            """
        for clone in clones { clone.write("manifests/recon.yaml", manifests) }
    }

    var target: String { "sqlite:\(base.path)/catalog.sqlite" }

    func skill(_ name: String, title: String? = nil) {
        repo.write("plugins/alpha/skills/\(name)/SKILL.md", "---\nname: \(title ?? name)\n---\nBody.\n")
    }

    /// `recon` in clone 0 (A) or 1 (B).
    func recon(_ clone: Int, _ arguments: String..., environment more: [String: String] = [:]) throws -> ReconProcess.Result {
        try ReconProcess.run(arguments, in: clones[clone].path, environment: environment.merging(more) { $1 })
    }

    /// `recon runs --format json` in `clone`, as the list of runs.
    func runs(_ clone: Int) throws -> [[String: Any]] {
        let listed = try recon(clone, "runs", "--format", "json")
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let document = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
        return document?["runs"] as? [[String: Any]] ?? []
    }

    func sql(_ query: String) -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", base.path + "/catalog.sqlite", query]
        let pipe = Pipe()
        process.standardOutput = pipe
        try! process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// No clone keeps runs or state of its own: everything is in PostgreSQL.
    func assertNothingLocal(file: StaticString = #filePath, line: UInt = #line) {
        for clone in clones {
            for name in ["state/runs", "state/recon.state.json"] {
                XCTAssertFalse(FileManager.default.fileExists(atPath: clone.path + "/" + name), "\(clone.path)/\(name)", file: file, line: line)
            }
        }
    }
}
