import Foundation
import ReconCLI
import ReconCore
import TestSupport
import XCTest

final class ExtractCommandTests: XCTestCase {
    /// A project directory with manifests pointing at a real git repo; recon runs there (-chdir).
    private func project(skill: String) -> (TemporaryDirectory, GitFixture) {
        let repo = GitFixture()
        repo.write("skills/x/SKILL.md", skill)
        repo.commit("x")
        let project = TemporaryDirectory("project")
        project.write("manifests/all.yaml", """
            tables:
              - name: Skills
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
                  - {name: Description, type: multilineText}
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, root: ., fields: {Name: name, Description: description}}
            """)
        return (project, repo)
    }

    private func run(_ arguments: [String], in project: TemporaryDirectory) -> (ExitCode, Console) {
        let console = Console(capturing: ())
        let previous = FileManager.default.currentDirectoryPath
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let code = ReconCLI.run(["--chdir", project.path] + arguments, environment: [:], console: console)
        return (code, console)
    }

    func testTextViewGroupsByTableAndJSONIsCanonical() throws {
        let (project, repo) = project(skill: "---\nname: x\ndescription: |\n  Line one\n  Line two\n---\n")
        let (code, console) = run(["extract"], in: project)
        XCTAssertEqual(code, .success, console.standardError)
        let lines = console.standardOutput.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, [
            "Skills  1 record",
            "  core:skills/x  @\(repo.head.prefix(7))",
            "    Description  Line one…",
            "    Name         x",
            "1 record from 1 repo (1 read, 0 unchanged since the last extraction).",
        ])

        let (jsonCode, jsonConsole) = run(["extract", "--format", "json", "--table", "Skills"], in: project)
        XCTAssertEqual(jsonCode, .success)
        let json = try JSONParser.parse(jsonConsole.standardOutput)
        XCTAssertEqual(json.canonicalString(pretty: true), jsonConsole.standardOutput, "the output is canonical JSON")
        let record = try XCTUnwrap(json["records"]?.arrayValue?.first)
        XCTAssertEqual(record["fields"]?["Description"], "Line one\nLine two\n")
        XCTAssertEqual(record["provenance"]?["source_commit"]?.stringValue, repo.head)
        XCTAssertEqual(json["repos"]?.arrayValue?.first?["cached"], true, "the second run is answered from state/cache")
        XCTAssertTrue(FileManager.default.fileExists(atPath: project.path + "/state/cache/extract/core.json"))
    }

    func testBadFileExitsOneWithRepoPathLineAndWritesNothing() {
        let (project, repo) = project(skill: "---\nname: [x\n---\n")
        let (code, console) = withExtendedLifetime(repo) { run(["extract"], in: project) }
        XCTAssertEqual(code, .failure)
        XCTAssertTrue(console.standardError.contains("core:skills/x/SKILL.md:3:1: error: invalid front matter"), console.standardError)
        XCTAssertTrue(console.standardError.contains("1 error found; nothing was written."), console.standardError)
        XCTAssertEqual(console.standardOutput, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/state/cache"))
    }

    func testUnknownTableFilterSuggestsTheName() {
        let (project, repo) = project(skill: "---\nname: x\n---\n")
        let (code, console) = withExtendedLifetime(repo) { run(["extract", "--table", "Skils"], in: project) }
        XCTAssertEqual(code, .failure)
        XCTAssertTrue(console.standardError.contains("did you mean 'Skills'?"), console.standardError)
    }
}
