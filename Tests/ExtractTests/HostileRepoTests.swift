import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// A repo is data, not code: what its files and its `.git/config` say never runs a command or reads
/// a file outside it.
final class HostileRepoTests: XCTestCase {
    private func skillRules(_ repo: GitFixture, worktree: Bool) -> String {
        """
        repos:
          - name: core
            path: \(repo.path)
            worktree: \(worktree)
            extract:
              - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, fields: {Name: name}}
        """
    }

    func testWorktreeNeverLeavesTheRepoThroughASymlinkedDirectory() throws {
        let outside = TemporaryDirectory("outside")
        outside.write("evil/SKILL.md", "---\nname: secret from outside\n---\n")
        let repo = GitFixture("core")
        repo.write("skills/real/SKILL.md", "---\nname: real\n---\n")
        repo.write("skills/evil/SKILL.md", "---\nname: committed\n---\n")
        repo.commit("two skills")
        // The index still lists skills/evil/SKILL.md; the directory on disk now points out of the repo.
        repo.remove("skills/evil")
        repo.symlink("skills/evil", to: outside.path + "/evil")

        let result = try ExtractHarness().run(skillRules(repo, worktree: true))
        XCTAssertEqual(result.records.map { $0.fields["Name"] }, [.text("real")], "nothing is read through the link")
        let warning = try XCTUnwrap(result.diagnostics.first { $0.message.contains("skills/evil") || $0.location?.file.contains("skills/evil") == true },
                                    "\(result.diagnostics.map(\.message))")
        XCTAssertEqual(warning.severity, .warning)
        XCTAssertTrue(warning.message.contains("leaves the repo") && warning.message.contains("not read"), warning.message)
    }

    func testWorktreeReadsThroughASymlinkedDirectoryThatStaysInside() throws {
        let repo = GitFixture("core")
        repo.write("skills/a/SKILL.md", "---\nname: a\n---\n")
        repo.write("skills/b/SKILL.md", "---\nname: b\n---\n")
        repo.commit("two skills")
        repo.remove("skills/b")
        repo.symlink("skills/b", to: "a")
        let result = try ExtractHarness().run(skillRules(repo, worktree: true))
        XCTAssertEqual(result.records.map { $0.fields["Name"] }, [.text("a"), .text("a")], "a link inside the repo is followed")
    }

    /// `.git/config` can name commands git runs on its own (fsmonitor, hooks, pager, external diff,
    /// textconv); none of them may run during an extraction, in either mode.
    func testCommandsConfiguredByTheRepoNeverRun() throws {
        for worktree in [true, false] {
            let repo = GitFixture("core")
            repo.write("skills/real/SKILL.md", "---\nname: real\n---\n")
            repo.write(".gitattributes", "*.md diff=evil filter=evil\n")
            repo.commit("one skill")
            let sentinel = TemporaryDirectory("sentinel")
            let script = sentinel.path + "/hook.sh"
            sentinel.write("hook.sh", "#!/bin/sh\ntouch '\(sentinel.path)/ran-'\"$(basename \"$0\")\"-$$\nexit 0\n")
            chmod(script, 0o755)
            for hook in ["post-checkout", "post-index-change", "reference-transaction", "fsmonitor-watchman"] {
                let hooks = repo.path + "/.git/hooks"
                try? FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
                try? FileManager.default.removeItem(atPath: hooks + "/" + hook)
                try FileManager.default.copyItem(atPath: script, toPath: hooks + "/" + hook)
            }
            for (key, value) in [("core.fsmonitor", script), ("core.pager", script), ("diff.external", script),
                                 ("diff.evil.textconv", script), ("filter.evil.clean", script), ("filter.evil.smudge", script),
                                 ("filter.evil.process", script), ("core.hooksPath", repo.path + "/.git/hooks")] {
                repo.git("config", key, value)
            }
            repo.write("skills/new/SKILL.md", "---\nname: untracked\n---\n")

            let result = try ExtractHarness().run(skillRules(repo, worktree: worktree))
            XCTAssertFalse(result.records.isEmpty)
            let ran = try FileManager.default.contentsOfDirectory(atPath: sentinel.path).filter { $0.hasPrefix("ran-") }
            XCTAssertEqual(ran, [], "worktree: \(worktree): a repository-configured command ran")
        }
    }
}
