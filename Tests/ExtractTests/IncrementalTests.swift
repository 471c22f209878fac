import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

final class IncrementalTests: XCTestCase {
    func testUnchangedCommitIsAnsweredFromTheCacheAndAMovedCommitIsReadAgain() throws {
        let (repo, commits) = makeCatalogRepo()
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path)
        let cold = try harness.run(rules)
        XCTAssertEqual(cold.repos.map(\.cached), [false])

        // Tamper with the cached entry: if the second run returned this value, it did not read the repo.
        let cache = FileExtractCache(stateDirectory: harness.state.path)
        var entry = try XCTUnwrap(cache.load(repo: "core", commit: commits[2], fingerprint: try fingerprint(cache.path(for: "core"))))
        let index = try XCTUnwrap(entry.records.firstIndex { $0.key == "core:plugins/alpha" })
        entry.records[index] = DesiredRecord(table: "Plugins", key: "core:plugins/alpha", fields: ["Name": .text("from the cache")],
                                             provenance: entry.records[index].provenance)
        try cache.store(entry)

        let warm = try harness.run(rules)
        XCTAssertEqual(warm.counts, [RepoExtraction(name: "core", commit: commits[2], cached: true, vouched: true, filesRead: 0, recordCount: 5)])
        XCTAssertEqual(warm.record("core:plugins/alpha")?.fields["Name"], .text("from the cache"))
        XCTAssertEqual(warm.diagnostics, cold.diagnostics, "warnings are kept with the cached records")

        repo.write("plugins/alpha/.claude-plugin/plugin.json", #"{"name": "alpha", "version": "1.1.0"}"#)
        let moved = repo.commit("bump alpha")
        let fresh = try harness.run(rules)
        XCTAssertEqual(fresh.repos.map(\.cached), [false])
        XCTAssertEqual(fresh.repos[0].commit, moved)
        XCTAssertEqual(fresh.record("core:plugins/alpha")?.fields["Name"], .text("alpha"))
        XCTAssertEqual(fresh.record("core:plugins/alpha")?.fields["Version"], .text("1.1.0"))
        XCTAssertEqual(fresh.record("core:plugins/alpha")?.provenance.sourceCommit, moved)
        XCTAssertEqual(fresh.record("core:plugins/beta")?.provenance.sourceCommit, commits[1])
    }

    func testAChangedManifestInvalidatesTheCache() throws {
        let (repo, _) = makeCatalogRepo()
        let harness = ExtractHarness()
        _ = try harness.run(pluginAndSkillRules(path: repo.path))
        let edited = pluginAndSkillRules(path: repo.path).replacingOccurrences(of: "Version: version", with: "Version: name")
        let result = try harness.run(edited)
        XCTAssertEqual(result.repos.map(\.cached), [false])
        XCTAssertEqual(result.record("core:plugins/beta")?.fields["Version"], .text("beta"))
    }

    func testKeyLinksIntoAnotherRepoAreReResolvedWhenThatRepoMoves() throws {
        let (core, _) = makeCatalogRepo()
        let other = GitFixture("other")
        other.write("skills/x/SKILL.md", "---\nname: x\nplugin: core:plugins/gamma\n---\n")
        other.commit("x")
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: core.path) + """
              - name: other
                path: \(other.path)
                extract:
                  - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, on_error: skip, fields: {Plugin: {link: Plugins, from: plugin}}}

            """
        let before = try harness.run(rules)
        XCTAssertNil(before.record("other:skills/x/SKILL.md")?.fields["Plugin"])
        core.write("plugins/gamma/.claude-plugin/plugin.json", #"{"name": "gamma"}"#)
        core.commit("gamma")
        let after = try harness.run(rules)
        XCTAssertEqual(after.repos.map(\.cached), [false, false], "other links into core by key, so core's move invalidates it")
        XCTAssertEqual(after.record("other:skills/x/SKILL.md")?.fields["Plugin"], .list(["core:plugins/gamma"]))
    }

    func testAnUnreadableCacheFileIsAMiss() throws {
        let (repo, _) = makeCatalogRepo()
        let harness = ExtractHarness()
        _ = try harness.run(pluginAndSkillRules(path: repo.path))
        let path = FileExtractCache(stateDirectory: harness.state.path).path(for: "core")
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: path))
        let result = try harness.run(pluginAndSkillRules(path: repo.path))
        XCTAssertEqual(result.repos.map(\.cached), [false])
        XCTAssertEqual(result.records.count, 5)
    }

    private func fingerprint(_ path: String) throws -> String {
        let json = try JSONParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        return try XCTUnwrap(json["fingerprint"]?.stringValue)
    }
}
