import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// Each record is traced to the commit `git log -1 -- path` names, whatever the history and the file names.
final class LastCommitTests: XCTestCase {
    private static let schema = """
        tables:
          - name: Docs
            key: Key
            fields:
              - {name: Key, type: singleLineText}
              - {name: Commit, type: singleLineText}

        """

    private func rules(_ path: String) -> String {
        """
        repos:
          - name: core
            path: \(path)
            extract:
              - {table: Docs, files: ["**/*.md"], as: markdown, fields: {Commit: $commit}}

        """
    }

    /// What git itself says is the last commit of `path` at HEAD.
    private func gitLast(_ repo: GitFixture, _ path: String) -> String {
        repo.git("log", "-1", "--format=%H", "--", path).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func assertMatchesGit(_ repo: GitFixture, _ result: ExtractResult, count: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.records.count, count, "\(result.records.map(\.provenance.path))", file: file, line: line)
        for record in result.records {
            let expected = gitLast(repo, record.provenance.path)
            XCTAssertEqual(record.provenance.sourceCommit, expected, "last commit of \(record.provenance.path.debugDescription)", file: file, line: line)
            XCTAssertEqual(record.fields["Commit"], .text(expected), file: file, line: line)
        }
    }

    func testSeveralCommitsRenamesAndMergesMatchGitLog() throws {
        let repo = GitFixture("core")
        repo.write("a.md", "# A\n")
        repo.write("b.md", "# B\n")
        repo.write("docs/c.md", "# C\n")
        repo.write("docs/kept.md", "# Kept\n")
        repo.commit("first")
        repo.write("a.md", "# A, edited\n")
        repo.commit("edit a")
        repo.git("checkout", "--quiet", "-b", "side")
        repo.write("b.md", "# B, on the side\n")
        repo.commit("edit b on a branch")
        repo.git("checkout", "--quiet", "main")
        repo.write("docs/c.md", "# C, edited\n")
        repo.commit("edit c")
        let date = "\(GitFixture.epoch + 100 * 3600) +0000"
        repo.git("merge", "--quiet", "--no-ff", "-m", "merge side", "side", environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
        repo.git("mv", "docs/c.md", "docs/moved.md")
        repo.write("a.md", "# A, edited twice\n")
        repo.commit("move c, edit a again")

        let result = try ExtractHarness().run(rules(repo.path), schema: Self.schema, cache: false)
        assertMatchesGit(repo, result, count: 4)
    }

    /// `git log -z` lists paths verbatim: one that starts with the commit marker or a newline must not pass for a
    /// commit id, nor lose its first byte.
    func testMarkerAndNewlineNamesDoNotPassForCommits() throws {
        let repo = GitFixture("core")
        repo.write("plain.md", "# Plain\n")
        repo.commit("first")
        repo.write("\u{01}0123456789abcdef0123456789abcdef01234567", "not wanted")
        repo.write("\u{01}x", "not wanted")
        repo.write("\nleading newline.md", "# Newline\n")
        repo.write("a\nb.md", "# Inner newline\n")
        repo.write("-dash.md", "# Dash\n")
        repo.write("quote\"s and 'spaces'.md", "# Quotes\n")
        repo.write("plain.md", "# Plain, edited\n")
        repo.commit("hostile names")
        repo.write("zz.md", "# Later\n")
        repo.commit("later")

        let result = try ExtractHarness().run(rules(repo.path), schema: Self.schema, cache: false)
        assertMatchesGit(repo, result, count: 6)
    }

    /// Paths are compared as bytes: a deleted NFD name is a Swift string equal to the NFC file that stays.
    func testNormalizationTwinDeletedLaterIsAnotherFile() throws {
        let repo = GitFixture("core")
        repo.write("cafe\u{301}.md", "# decomposed\n")
        repo.commit("first")
        repo.write("caf\u{E9}.md", "# composed\n")
        repo.commit("add the composed name")
        repo.remove("cafe\u{301}.md")
        repo.commit("remove the decomposed name")

        let result = try ExtractHarness().run(rules(repo.path), schema: Self.schema, cache: false)
        assertMatchesGit(repo, result, count: 1)
    }
}
