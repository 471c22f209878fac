import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

final class BadInputTests: XCTestCase {
    private func skills(_ path: String, onError: String = "fail", format: String = "frontmatter", files: String = "**/SKILL.md") -> String {
        """
        repos:
          - name: core
            path: \(path)
            extract:
              - {table: Skills, files: ["\(files)"], as: \(format), on_error: \(onError), fields: {Name: name, Count: count, Level: level}}
        """
    }

    func testBrokenFrontMatterIsReportedWithRepoPathAndLine() throws {
        let repo = GitFixture()
        repo.write("skills/bad/SKILL.md", "---\nname: bad\ntags: [a, b\nlevel: low\n---\n# Bad\n")
        repo.write("skills/good/SKILL.md", "---\nname: good\n---\n")
        repo.commit("skills")
        let harness = ExtractHarness()
        let errors = try harness.failure(skills(repo.path))
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual(errors[0].location?.file, "core:skills/bad/SKILL.md")
        XCTAssertEqual(errors[0].location?.line, 4, "the line in the file, counting the opening ---")
        XCTAssertTrue(errors[0].message.hasPrefix("invalid front matter"), errors[0].message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.state.path + "/cache"), "nothing is written on error")
    }

    func testUnclosedFrontMatterIsAnError() throws {
        let repo = GitFixture()
        repo.write("skills/open/SKILL.md", "---\nname: open\n# never closed\n")
        repo.commit("open")
        let errors = try ExtractHarness().failure(skills(repo.path))
        XCTAssertEqual(errors.map { $0.location?.file }, ["core:skills/open/SKILL.md"])
        XCTAssertTrue(errors[0].message.contains("never closed"), errors[0].message)
    }

    func testInvalidJSONIsReportedWithLineAndColumn() throws {
        let repo = GitFixture()
        repo.write("data/x.json", "{\n  \"name\": \"x\",\n  \"count\": 1,,\n}\n")
        repo.commit("json")
        let errors = try ExtractHarness().failure(skills(repo.path, format: "json", files: "data/*.json"))
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual(errors[0].location, SourceLocation(file: "core:data/x.json", line: 3, column: 14))
        XCTAssertTrue(errors[0].message.hasPrefix("invalid JSON"), errors[0].message)
    }

    func testSkipPolicyWarnsAndLeavesTheFileOut() throws {
        let repo = GitFixture()
        repo.write("skills/bad/SKILL.md", "---\nname: [unclosed\n---\n")
        repo.write("skills/wrong-type/SKILL.md", "---\nname: w\ncount: many\n---\n")
        repo.write("skills/good/SKILL.md", "---\nname: good\n---\n")
        repo.commit("skills")
        let result = try ExtractHarness().run(skills(repo.path, onError: "skip"))
        XCTAssertEqual(result.records.map(\.key), ["core:skills/good/SKILL.md"])
        let warnings = result.diagnostics.filter { $0.severity == .warning }
        XCTAssertEqual(warnings.compactMap { $0.location?.file }.sorted(), ["core:skills/bad/SKILL.md", "core:skills/wrong-type/SKILL.md"])
        XCTAssertTrue(warnings.allSatisfy { $0.message.hasSuffix("file skipped") })
        let typeWarning = try XCTUnwrap(warnings.first { $0.location?.file == "core:skills/wrong-type/SKILL.md" })
        XCTAssertEqual(typeWarning.location?.line, 3)
        XCTAssertTrue(typeWarning.message.contains("expects a number"), typeWarning.message)
    }

    func testSelectValueOutsideTheChoicesFailsAtItsLine() throws {
        let repo = GitFixture()
        repo.write("skills/x/SKILL.md", "---\nname: x\nlevel: extreme\n---\n")
        repo.commit("x")
        let errors = try ExtractHarness().failure(skills(repo.path))
        XCTAssertEqual(errors.map { $0.location?.line }, [3])
        XCTAssertTrue(errors[0].message.contains("'extreme' is not a choice of field 'Level'"), errors[0].message)
    }

    func testSymlinksLeavingTheRepoAreNotFollowed() throws {
        let outside = TemporaryDirectory("outside")
        outside.write("SKILL.md", "---\nname: secret\n---\n")
        let repo = GitFixture()
        repo.write("skills/real/SKILL.md", "---\nname: real\n---\n")
        repo.symlink("skills/escape/SKILL.md", to: outside.path + "/SKILL.md")
        repo.symlink("skills/climb/SKILL.md", to: "../../../outside/SKILL.md")
        repo.symlink("skills/inside/SKILL.md", to: "../real/SKILL.md")
        repo.commit("links")
        for worktree in [false, true] {
            let result = try ExtractHarness().run(skills(repo.path).replacingOccurrences(of: "extract:", with: "worktree: \(worktree)\n    extract:"))
            XCTAssertEqual(result.records.map(\.key), ["core:skills/inside/SKILL.md", "core:skills/real/SKILL.md"], "worktree: \(worktree)")
            XCTAssertEqual(result.record("core:skills/inside/SKILL.md")?.fields["Name"], .text("real"))
            let warned = result.diagnostics.filter { $0.severity == .warning && $0.message.contains("leaves the repo") }
            XCTAssertEqual(warned.compactMap { $0.location?.file }.sorted(), ["core:skills/climb/SKILL.md", "core:skills/escape/SKILL.md"])
        }
    }

    func testBinaryAndOversizedFilesAreSkippedWithANote() throws {
        let repo = GitFixture()
        repo.write("skills/bin/SKILL.md", bytes: Array("---\nname: bin\n---\n".utf8) + [0, 1, 2, 0])
        repo.write("skills/big/SKILL.md", "---\nname: big\n---\n" + String(repeating: "word ", count: 300_000))
        repo.write("skills/ok/SKILL.md", "---\nname: ok\n---\n")
        repo.commit("files")
        let result = try ExtractHarness().run(skills(repo.path))
        XCTAssertEqual(result.records.map(\.key), ["core:skills/ok/SKILL.md"])
        let notes = result.diagnostics.filter { $0.severity == .note }
        XCTAssertEqual(notes.map { $0.location?.file }, ["core:skills/big/SKILL.md", "core:skills/bin/SKILL.md"])
        XCTAssertTrue(notes[0].message.contains("1048576-byte limit"), notes[0].message)
        XCTAssertEqual(notes[1].message, "binary file skipped")
    }

    func testDuplicateKeysAcrossRulesNameBothRules() throws {
        let repo = GitFixture()
        repo.write("skills/a/SKILL.md", "---\nname: a\n---\n")
        repo.write("skills/a/README.md", "# A\n")
        repo.commit("a")
        let errors = try ExtractHarness().failure("""
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, root: ., fields: {Name: name}}
                  - {table: Skills, files: ["**/README.md"], as: markdown, root: ., fields: {Title: $title}}
            """)
        XCTAssertEqual(errors.count, 1)
        let message = errors[0].message
        XCTAssertTrue(message.contains("duplicate key 'core:skills/a'"), message)
        XCTAssertTrue(message.contains("core:skills/a/README.md") && message.contains("core:skills/a/SKILL.md"), message)
        XCTAssertTrue(message.contains("manifest.yaml:"), "names the other rule's place: \(message)")
        XCTAssertEqual(errors[0].location?.file, "manifest.yaml")
    }
}
