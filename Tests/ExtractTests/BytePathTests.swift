import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// Git paths and Linux file names are bytes: a folder whose name starts with a combining mark is still a
/// folder, and a sibling whose name differs from the repo's only by Unicode normalization is outside it.
final class BytePathTests: XCTestCase {
    func testAFolderNamedWithACombiningMarkIsAFolder() throws {
        for worktree in [false, true] {
            let repo = GitFixture("core")
            repo.write("docs/\u{338}a/SKILL.md", "---\nname: marked\n---\n")
            repo.commit("a skill under a folder whose name starts with a combining mark")
            let result = try ExtractHarness().run("""
                repos:
                  - name: core
                    path: \(repo.path)
                    worktree: \(worktree)
                    extract:
                      - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, root: ".", fields: {Name: $dir, Title: name}}
                      - {table: Plugins, files: ["docs/\u{338}*/SKILL.md"], as: frontmatter, root: "..", fields: {Name: $dir}}
                """)
            XCTAssertEqual(result.record("core:docs/\u{338}a")?.fields["Name"], .text("\u{338}a"), "worktree: \(worktree)")
            XCTAssertEqual(result.record("core:docs")?.fields["Name"], .text("docs"), "worktree: \(worktree)")
        }
    }

    func testALinkIntoASiblingThatDiffersOnlyByNormalizationIsRefused() throws {
        let repo = GitFixture("caf\u{E9}")
        let sibling = String(String.UnicodeScalarView(repo.path.unicodeScalars.flatMap { $0 == "\u{E9}" ? ["e", "\u{301}"] : [$0] }))
        XCTAssertFalse(PathBytes.equal(sibling, repo.path))
        XCTAssertEqual(sibling, repo.path, "String calls the two names equal")
        try FileManager.default.createDirectory(atPath: sibling + "/evil", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: sibling) }
        try Data("---\nname: secret from outside\n---\n".utf8).write(to: URL(fileURLWithPath: sibling + "/evil/SKILL.md"))
        repo.write("skills/real/SKILL.md", "---\nname: real\n---\n")
        repo.write("skills/file/SKILL.md", "---\nname: committed\n---\n")
        repo.write("skills/folder/SKILL.md", "---\nname: committed\n---\n")
        repo.commit("three skills")
        repo.remove("skills/file/SKILL.md")
        repo.symlink("skills/file/SKILL.md", to: sibling + "/evil/SKILL.md")
        repo.remove("skills/folder")
        repo.symlink("skills/folder", to: sibling + "/evil")

        let result = try ExtractHarness().run("""
            repos:
              - name: core
                path: \(repo.path)
                worktree: true
                extract:
                  - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, fields: {Name: name}}
            """)
        XCTAssertEqual(result.records.map { $0.fields["Name"] }, [.text("real")], "nothing is read through either link")
        let warnings = result.diagnostics.filter { $0.severity == .warning && $0.message.contains("leaves the repo") }
        XCTAssertEqual(warnings.count, 2, "\(result.diagnostics.map(\.message))")
    }
}
