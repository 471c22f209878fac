import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

final class ExtractionTests: XCTestCase {
    func testKeysProvenanceAndPerFileSourceCommit() throws {
        let (repo, commits) = makeCatalogRepo()
        let result = try ExtractHarness().run(pluginAndSkillRules(path: repo.path))
        XCTAssertEqual(result.records.map(\.key), [
            "core:plugins/alpha", "core:plugins/beta",
            "core:plugins/alpha/skills/one", "core:plugins/beta/skills/two", "core:skills/solo",
        ])
        let alpha = try XCTUnwrap(result.record("core:plugins/alpha"))
        XCTAssertEqual(alpha.provenance, Provenance(repo: "core", path: "plugins/alpha/.claude-plugin/plugin.json", sourceCommit: commits[0]))
        XCTAssertEqual(alpha.fields["Commit"], .text(commits[0]))
        XCTAssertEqual(result.record("core:plugins/beta")?.provenance.sourceCommit, commits[1])
        XCTAssertEqual(result.record("core:plugins/alpha/skills/one")?.provenance.sourceCommit, commits[2], "edited in the third commit")
        XCTAssertEqual(result.record("core:plugins/alpha/skills/one")?.fields["Count"], .number(4))
        XCTAssertEqual(alpha.contentHash, FieldValue.contentHash(alpha.fields))
        XCTAssertEqual(result.counts, [RepoExtraction(name: "core", commit: commits[2], cached: false, filesRead: 5, recordCount: 5)])
        XCTAssertNotNil(result.repos[0].sealedEntry, "read in full from source: stored as a sealed entry")
        XCTAssertNil(result.repos[0].readOn, "not read on from a sealed entry")
    }

    /// The body is summarized when any rule of the file's format reads it, not only when the first one does: the
    /// front matter is parsed once for both rules, and only the second reads `$title`.
    func testABodyBuiltinIsReadWhenOnlyALaterRuleOfTheFormatAsksForIt() throws {
        let repo = GitFixture()
        repo.write("one.md", "---\nname: one\n---\n\n# The Title\n\nText.\n")
        repo.commit("one")
        let result = try ExtractHarness().run("""
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Plugins, files: ["*.md"], as: frontmatter, fields: {Name: name}}
                  - {table: Skills, files: ["*.md"], as: frontmatter, fields: {Name: name, Title: $title}}
            """)
        let skill = try XCTUnwrap(result.records.first { $0.table == "Skills" })
        XCTAssertEqual(skill.fields["Title"], .text("The Title"))
        XCTAssertEqual(skill.fields["Name"], .text("one"))
        XCTAssertEqual(result.records.first { $0.table == "Plugins" }?.fields["Name"], .text("one"))
    }

    func testAncestorLinksFindTheNearestHolderAndWarnWhenNoneHolds() throws {
        let (repo, _) = makeCatalogRepo()
        let result = try ExtractHarness().run(pluginAndSkillRules(path: repo.path))
        XCTAssertEqual(result.record("core:plugins/alpha/skills/one")?.fields["Plugin"], .list(["core:plugins/alpha"]))
        XCTAssertEqual(result.record("core:plugins/beta/skills/two")?.fields["Plugin"], .list(["core:plugins/beta"]))
        XCTAssertNil(result.record("core:skills/solo")?.fields["Plugin"])
        let warning = try XCTUnwrap(result.diagnostics.first { $0.severity == .warning })
        XCTAssertTrue(warning.message.contains("skills/solo/SKILL.md") && warning.message.contains("'Plugin'"), warning.message)
    }

    func testLinksByKeyPathAcrossReposAndByFixedKey() throws {
        let (core, _) = makeCatalogRepo()
        let other = GitFixture("other")
        other.write("skills/x/SKILL.md", "---\nname: x\nplugin: core:plugins/beta\n---\n")
        other.write("skills/y/SKILL.md", "---\nname: y\nplugin: [\"core:plugins/alpha\", \"core:plugins/beta\"]\n---\n")
        other.commit("skills")
        let result = try ExtractHarness().run(pluginAndSkillRules(path: core.path) + """
              - name: other
                path: \(other.path)
                extract:
                  - table: Skills
                    files: ["skills/x/SKILL.md", "skills/y/SKILL.md"]
                    as: frontmatter
                    fields: {Name: name, Plugin: {link: Plugins, from: plugin}}
              - name: fixed
                path: \(other.path)
                extract:
                  - table: Skills
                    files: ["skills/x/SKILL.md"]
                    as: frontmatter
                    fields: {Name: name, Plugin: {link: Plugins, key: "core:plugins/alpha"}}

            """)
        XCTAssertEqual(result.record("other:skills/x/SKILL.md")?.fields["Plugin"], .list(["core:plugins/beta"]))
        XCTAssertEqual(result.record("other:skills/y/SKILL.md")?.fields["Plugin"], .list(["core:plugins/alpha", "core:plugins/beta"]))
        XCTAssertEqual(result.record("fixed:skills/x/SKILL.md")?.fields["Plugin"], .list(["core:plugins/alpha"]))
    }

    /// Each repo's per-file results are written aside while the records are assembled; the first made the cache folder,
    /// which a run that then fails takes back with every file, whichever repo's link is bad.
    func testAFailedRunOfTwoReposLeavesNoCacheFolder() throws {
        let good = GitFixture("good")
        good.write("skills/a/SKILL.md", "---\nname: a\n---\n")
        good.commit("a")
        let bad = GitFixture("bad")
        bad.write("skills/x/SKILL.md", "---\nname: x\nplugin: plugins/missing\n---\n")
        bad.commit("x")
        func repo(_ name: String, _ fixture: GitFixture) -> String {
            """
              - name: \(name)
                path: \(fixture.path)
                extract:
                  - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, fields: {Name: name, Plugin: {link: Plugins, from: plugin}}}

            """
        }
        for (first, second) in [(good, bad), (bad, good)] {
            let harness = ExtractHarness()
            let errors = try harness.failure("repos:\n" + repo("one", first) + repo("two", second))
            XCTAssertEqual(errors.count, 1, "\(errors)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: harness.state.path + "/cache"), "nothing is written on error")
        }
    }

    func testUnresolvedKeyLinkIsAnErrorNamingRepoPathAndField() throws {
        let repo = GitFixture()
        repo.write("skills/x/SKILL.md", "---\nname: x\nplugin: plugins/missing\n---\n")
        repo.commit("x")
        let harness = ExtractHarness()
        let errors = try harness.failure("""
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, fields: {Plugin: {link: Plugins, from: plugin}}}
            """)
        XCTAssertEqual(errors.count, 1)
        let message = errors[0].message
        XCTAssertTrue(message.contains("core:skills/x/SKILL.md") && message.contains("'Plugin'") && message.contains("plugins/missing"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.state.path + "/cache"), "nothing is written on error")
    }

    func testEachItemBecomesAnEntityWithNumberedKey() throws {
        let repo = GitFixture()
        repo.write("catalog.yaml", "plugins:\n  - {name: a, version: '1'}\n  - {name: b, version: '2'}\n")
        let commit = repo.commit("list")
        let result = try ExtractHarness().run("""
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Plugins, files: [catalog.yaml], as: yaml, each: plugins, fields: {Name: name, Version: version, Commit: $key}}
            """)
        XCTAssertEqual(result.records.map(\.key), ["core:catalog.yaml#0", "core:catalog.yaml#1"])
        XCTAssertEqual(result.records.map { $0.fields["Name"] }, [.text("a"), .text("b")])
        XCTAssertEqual(result.records[1].fields["Commit"], .text("core:catalog.yaml#1"))
        XCTAssertEqual(result.records[1].provenance, Provenance(repo: "core", path: "catalog.yaml", sourceCommit: commit))
    }

    func testCommittedTreeIsReadUnlessWorktreeIsTrue() throws {
        let repo = GitFixture()
        repo.write("skills/a/SKILL.md", "---\nname: committed\n---\n")
        let commit = repo.commit("a")
        repo.write("skills/a/SKILL.md", "---\nname: edited\n---\n")
        repo.write("skills/b/SKILL.md", "---\nname: untracked\n---\n")
        let rules = { (worktree: Bool) in """
            repos:
              - name: core
                path: \(repo.path)
                worktree: \(worktree)
                extract:
                  - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, fields: {Name: name}}
            """ }
        let committed = try ExtractHarness().run(rules(false))
        XCTAssertEqual(committed.records.map { $0.fields["Name"] }, [.text("committed")])
        let working = try ExtractHarness().run(rules(true))
        XCTAssertEqual(working.records.map { $0.fields["Name"] }, [.text("edited"), .text("untracked")])
        XCTAssertEqual(working.records.map(\.provenance.sourceCommit), [commit, commit])
        XCTAssertFalse(working.repos[0].cached)
    }

    func testURLRepoIsClonedIntoStateAndFetchedWhenItMoves() throws {
        let origin = GitFixture("origin")
        origin.write("plugins/p/.claude-plugin/plugin.json", #"{"name": "p"}"#)
        let first = origin.commit("p")
        let harness = ExtractHarness()
        let repos = """
            repos:
              - name: remote
                url: file://\(origin.path)
                ref: main
                extract:
                  - {table: Plugins, files: ["plugins/*/.claude-plugin/plugin.json"], as: json, root: .., fields: {Name: name}}
            """
        let cold = try harness.run(repos)
        XCTAssertEqual(cold.records.map(\.key), ["remote:plugins/p"])
        XCTAssertEqual(cold.repos[0].commit, first)
        XCTAssertTrue(FileManager.default.fileExists(atPath: harness.state.path + "/repos/remote/HEAD"), "a bare mirror under state/repos")
        origin.write("plugins/q/.claude-plugin/plugin.json", #"{"name": "q"}"#)
        let second = origin.commit("q")
        let moved = try harness.run(repos)
        XCTAssertEqual(moved.repos[0].commit, second)
        XCTAssertEqual(moved.records.map(\.key), ["remote:plugins/p", "remote:plugins/q"])
    }

    func testBadRefNamesTheRepo() throws {
        let repo = GitFixture()
        repo.write("a.md", "# A\n")
        repo.commit("a")
        let errors = try ExtractHarness().failure("""
            repos:
              - name: core
                path: \(repo.path)
                ref: no-such-branch
                extract:
                  - {table: Skills, files: ["*.md"], as: markdown, fields: {Title: $title}}
            """)
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors[0].message.contains("repo 'core'") && errors[0].message.contains("no-such-branch"), errors[0].message)
        XCTAssertEqual(errors[0].location?.file, "manifest.yaml")
    }
}
