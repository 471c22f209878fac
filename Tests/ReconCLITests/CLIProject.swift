import Foundation
import TestSupport
import XCTest

/// A project folder driven through the real `recon` binary: manifests, a git repo of skills, a SQLite base.
final class CLIProject {
    let directory = TemporaryDirectory("cli-project")
    let repo = GitFixture("skills")
    var path: String { directory.path }

    init(protected: Bool = true) {
        directory.write("manifests/schema.yaml", """
            target: {provider: sqlite, database: state/catalog.sqlite}
            tables:
              - name: Plugins
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
              - name: Skills
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
                  - {name: Plugin, type: multipleRecordLinks, table: Plugins}
                  - {name: Status, type: singleSelect, choices: [Draft, Published]}
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Plugins, files: ["plugins/*/plugin.json"], as: json, root: ., fields: {Name: name}}
                  - table: Skills
                    files: ["plugins/*/skills/*/SKILL.md"]
                    as: frontmatter
                    root: .
                    fields: {Name: name, Plugin: {link: Plugins, by: ancestor}, Status: {const: Draft}}
            \(protected ? "protected: {Skills: [Status]}" : "")
            """)
    }

    func skill(_ plugin: String, _ name: String, title: String? = nil) {
        repo.write("plugins/\(plugin)/plugin.json", #"{"name": "\#(plugin)"}"#)
        repo.write("plugins/\(plugin)/skills/\(name)/SKILL.md", "---\nname: \(title ?? name)\n---\nBody.\n")
    }

    @discardableResult
    /// A project with one skill (`alpha/one`) applied.
    static func applied() throws -> CLIProject {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let applied = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(applied.status, 0, applied.stderr)
        return project
    }

    func recon(_ arguments: String..., input: String? = nil) throws -> ReconProcess.Result {
        try ReconProcess.run(arguments, in: path, input: input)
    }

    /// Empties the state's records, keeping the rest (lineage, repo commits): the base still holds them,
    /// so the next plan adopts them.
    func forgetStateRecords() throws {
        let path = self.path + "/state/recon.state.json"
        var state = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        state["records"] = [String: Any]()
        try JSONSerialization.data(withJSONObject: state, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
    }

    /// Runs sqlite3 on the base; one output line per row.
    func sql(_ query: String) -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path + "/state/catalog.sqlite", query]
        let pipe = Pipe()
        process.standardOutput = pipe
        try! process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
