import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// Incremental extraction when the commit moves: files whose blob is unchanged are answered from
/// the per-file cache, and the result always equals a cold extraction of the same commit.
final class PerFileReuseTests: XCTestCase {
    func testAMovedCommitReadsOnlyNewAndChangedFiles() throws {
        let (repo, _) = makeCatalogRepo()
        repo.write("skills/blob/SKILL.md", bytes: [0x2D, 0x00, 0x2D])
        repo.commit("a binary skill")
        let harness = ExtractHarness(readsOnFromSealedEntries: false)
        let rules = pluginAndSkillRules(path: repo.path)
        let first = try harness.run(rules)
        XCTAssertEqual(first.repos.map(\.filesRead), [6])
        XCTAssertEqual(first.repos.map(\.filesReused), [0])

        repo.write("skills/solo/SKILL.md", "---\nname: solo\ncount: 9\n---\n")
        repo.write("plugins/beta/skills/three/SKILL.md", "---\nname: three\n---\n")
        repo.remove("plugins/alpha/skills/one/SKILL.md")
        let moved = repo.commit("edit solo, add three, delete one")
        let result = try harness.run(rules)
        var summary = try XCTUnwrap(result.repos.first)
        XCTAssertFalse(summary.reusedPaths.contains("skills/solo/SKILL.md"))
        XCTAssertEqual(summary.reusedPaths.count, 4)
        summary.reusedPaths = []
        XCTAssertEqual([summary], [RepoExtraction(name: "core", commit: moved, cached: false, filesRead: 2, filesReused: 4, recordCount: 5)])
        XCTAssertEqual(result.record("core:skills/solo")?.fields["Count"], .number(9))
        XCTAssertEqual(result.record("core:plugins/beta/skills/three")?.fields["Plugin"], .list(["core:plugins/beta"]))
        XCTAssertFalse(result.records.contains { $0.key == "core:plugins/alpha/skills/one" })
        XCTAssertTrue(result.diagnostics.contains { $0.message == "binary file skipped" }, "a reused file keeps its notes")
        try assertEqualsColdExtraction(result, rules)
    }

    /// The per-file results are written aside while the records are assembled: a run the assembly fails keeps none of it.
    func testARunThatFailsInTheAssemblyLeavesThePerFileResultsAsTheyWere() throws {
        let (repo, _) = makeCatalogRepo()
        let harness = ExtractHarness(readsOnFromSealedEntries: false)
        _ = try harness.run(pluginAndSkillRules(path: repo.path))
        let cache = FileExtractCache(stateDirectory: harness.state.path)
        let before = try XCTUnwrap(FileManager.default.contents(atPath: cache.filesPath(for: "core")))
        let listing = try FileManager.default.contentsOfDirectory(atPath: cache.directory).sorted()

        repo.write("skills/solo/SKILL.md", "---\nname: solo again\n---\n")
        repo.commit("edit solo")
        // A second rule makes the key of solo again: a duplicate, found only once every file is read.
        let twice = pluginAndSkillRules(path: repo.path, skillsExtra: """
                  - table: Skills
                    files: ["skills/solo/SKILL.md"]
                    as: frontmatter
                    root: .
                    fields: {Name: name}
            """)
        let diagnostics = try harness.failure(twice)
        XCTAssertTrue(diagnostics.contains { $0.severity == .error && $0.message.hasPrefix("duplicate key 'core:skills/solo'") }, "\(diagnostics)")
        XCTAssertEqual(FileManager.default.contents(atPath: cache.filesPath(for: "core")), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.directory).sorted(), listing, "no file is left aside")
    }

    func testAnUnchangedFileIsAnsweredFromItsCachedEntity() throws {
        let (repo, _) = makeCatalogRepo()
        let harness = ExtractHarness(readsOnFromSealedEntries: false)
        let rules = pluginAndSkillRules(path: repo.path)
        _ = try harness.run(rules)

        // Tamper with the cached entity of an unchanged file: the next run must show it, so it did not read the file.
        let cache = FileExtractCache(stateDirectory: harness.state.path)
        let path = cache.filesPath(for: "core")
        let json = try JSONParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let tampered = try replacingName(of: "plugins/beta/.claude-plugin/plugin.json", in: json, with: "from the cache")
        try Data(tampered.canonicalBytes()).write(to: URL(fileURLWithPath: path))

        repo.write("skills/solo/SKILL.md", "---\nname: solo again\n---\n")
        repo.commit("edit solo")
        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesRead), [1])
        XCTAssertEqual(result.record("core:plugins/beta")?.fields["Name"], .text("from the cache"))
        XCTAssertEqual(result.record("core:skills/solo")?.fields["Name"], .text("solo again"))
        XCTAssertEqual(result.record("core:plugins/beta/skills/two")?.fields["Plugin"], .list(["core:plugins/beta"]))
    }

    func testAnAncestorAddedOrRemovedInTheNewCommitIsSeenByUnchangedFiles() throws {
        let repo = GitFixture("core")
        repo.write("plugins/alpha/.claude-plugin/plugin.json", #"{"name": "alpha"}"#)
        repo.write("plugins/alpha/skills/y/SKILL.md", "---\nname: y\n---\n")
        repo.write("plugins/gamma/skills/x/SKILL.md", "---\nname: x\n---\n")
        repo.commit("alpha, and a skill of a plugin without a manifest")
        let harness = ExtractHarness(readsOnFromSealedEntries: false)
        let rules = pluginAndSkillRules(path: repo.path)
        let before = try harness.run(rules)
        XCTAssertNil(before.record("core:plugins/gamma/skills/x")?.fields["Plugin"])
        XCTAssertEqual(before.diagnostics.filter { $0.severity == .warning }.count, 1)

        repo.write("plugins/gamma/.claude-plugin/plugin.json", #"{"name": "gamma"}"#)
        repo.commit("gamma")
        let added = try harness.run(rules)
        XCTAssertEqual(added.repos.map(\.filesRead), [1])
        XCTAssertEqual(added.repos.map(\.filesReused), [3])
        XCTAssertEqual(added.record("core:plugins/gamma/skills/x")?.fields["Plugin"], .list(["core:plugins/gamma"]))
        XCTAssertEqual(added.diagnostics, [])
        try assertEqualsColdExtraction(added, rules)

        repo.remove("plugins/alpha/.claude-plugin/plugin.json")
        repo.commit("alpha loses its manifest")
        let removed = try harness.run(rules)
        XCTAssertEqual(removed.repos.map(\.filesRead), [0])
        XCTAssertNil(removed.record("core:plugins/alpha/skills/y")?.fields["Plugin"])
        XCTAssertEqual(removed.diagnostics.filter { $0.severity == .warning }.count, 1)
        try assertEqualsColdExtraction(removed, rules)
    }

    func testAFileChangedAndRevertedGetsItsNewLastCommit() throws {
        let (repo, commits) = makeCatalogRepo()
        let withCommit = pluginAndSkillRules(path: repo.path)
        let withoutCommit = withCommit.replacingOccurrences(of: "$commit", with: "$dir")
        let plain = ExtractHarness(readsOnFromSealedEntries: false)
        let stamped = ExtractHarness(readsOnFromSealedEntries: false)
        _ = try plain.run(withoutCommit)
        _ = try stamped.run(withCommit)

        let manifest = "plugins/beta/.claude-plugin/plugin.json"
        repo.write(manifest, #"{"name": "beta", "version": "2.0.1"}"#)
        repo.commit("bump beta")
        repo.write(manifest, #"{"name": "beta", "version": "2.0.0"}"#)
        let reverted = repo.commit("revert beta")

        // Same blob, new last commit: without $commit only the provenance moves, so nothing is read.
        let refreshed = try plain.run(withoutCommit)
        XCTAssertEqual(refreshed.repos.map(\.filesRead), [0])
        XCTAssertEqual(refreshed.repos.map(\.filesReused), [5])
        XCTAssertEqual(refreshed.record("core:plugins/beta")?.provenance.sourceCommit, reverted)
        XCTAssertEqual(refreshed.record("core:plugins/alpha")?.provenance.sourceCommit, commits[0])
        try assertEqualsColdExtraction(refreshed, withoutCommit)

        // With $commit the field holds the commit, so that file is read again.
        let reread = try stamped.run(withCommit)
        XCTAssertEqual(reread.repos.map(\.filesRead), [1])
        XCTAssertEqual(reread.record("core:plugins/beta")?.fields["Commit"], .text(reverted))
        XCTAssertEqual(reread.record("core:plugins/beta")?.provenance.sourceCommit, reverted)
        try assertEqualsColdExtraction(reread, withCommit)
    }

    func testAManifestEditInvalidatesEveryFile() throws {
        let (repo, _) = makeCatalogRepo()
        let harness = ExtractHarness(readsOnFromSealedEntries: false)
        _ = try harness.run(pluginAndSkillRules(path: repo.path))
        repo.write("skills/solo/SKILL.md", "---\nname: solo 2\n---\n")
        repo.commit("edit solo")
        let edited = pluginAndSkillRules(path: repo.path).replacingOccurrences(of: "Version: version", with: "Version: name")
        let result = try harness.run(edited)
        XCTAssertEqual(result.repos.map(\.filesRead), [5])
        XCTAssertEqual(result.repos.map(\.filesReused), [0])
        XCTAssertEqual(result.record("core:plugins/beta")?.fields["Version"], .text("beta"))
        try assertEqualsColdExtraction(result, edited)
    }

    func testASymlinkIsReadAgainWhenItsTargetChanges() throws {
        let repo = GitFixture("core")
        repo.write("skills/solo/SKILL.md", "---\nname: solo\n---\n")
        repo.symlink("skills/alias/SKILL.md", to: "../solo/SKILL.md")
        repo.write("skills/other/SKILL.md", "---\nname: other\n---\n")
        repo.commit("solo, its alias, other")
        let harness = ExtractHarness(readsOnFromSealedEntries: false)
        let rules = pluginAndSkillRules(path: repo.path)
        _ = try harness.run(rules)

        repo.write("skills/solo/SKILL.md", "---\nname: solo renamed\n---\n")
        let moved = repo.commit("rename solo")
        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesRead), [2], "the link itself is unchanged, the blob it reads is not")
        XCTAssertEqual(result.repos.map(\.filesReused), [1])
        XCTAssertEqual(result.record("core:skills/alias")?.fields["Name"], .text("solo renamed"))
        XCTAssertEqual(result.record("core:skills/solo")?.provenance.sourceCommit, moved)
        try assertEqualsColdExtraction(result, rules)
    }

    func testWorktreeReposKeepNoPerFileResults() throws {
        let (repo, _) = makeCatalogRepo()
        let harness = ExtractHarness(readsOnFromSealedEntries: false)
        let rules = pluginAndSkillRules(path: repo.path).replacingOccurrences(of: "extract:", with: "worktree: true\n    extract:")
        _ = try harness.run(rules)
        repo.write("skills/solo/SKILL.md", "---\nname: solo 2\n---\n")
        repo.commit("edit solo")
        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesRead), [5])
        XCTAssertEqual(result.repos.map(\.filesReused), [0])
        let cache = FileExtractCache(stateDirectory: harness.state.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.filesPath(for: "core")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.path(for: "core")))
    }

    func testAnUnreadablePerFileEntryIsAMiss() throws {
        let (repo, _) = makeCatalogRepo()
        let harness = ExtractHarness(readsOnFromSealedEntries: false)
        let rules = pluginAndSkillRules(path: repo.path)
        _ = try harness.run(rules)
        let path = FileExtractCache(stateDirectory: harness.state.path).filesPath(for: "core")
        let json = try JSONParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        guard case .object(var top) = json, case .array(var files)? = top["files"], case .object(var file) = files[0] else {
            return XCTFail("unexpected cache shape")
        }
        file["entities"] = .array([.object(["rule": 99, "key": "core:nowhere", "fields": .object([:]), "links": .array([])])])
        files[0] = .object(file)
        top["files"] = .array(files)
        try Data(JSONValue.object(top).canonicalBytes()).write(to: URL(fileURLWithPath: path))

        repo.write("skills/solo/SKILL.md", "---\nname: solo 2\n---\n")
        repo.commit("edit solo")
        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesRead), [2], "a cached entity naming no rule sends its file to be read again")
        try assertEqualsColdExtraction(result, rules)

        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: path))
        repo.write("skills/solo/SKILL.md", "---\nname: solo 3\n---\n")
        repo.commit("edit solo again")
        let unreadable = try harness.run(rules)
        XCTAssertEqual(unreadable.repos.map(\.filesRead), [5])
        try assertEqualsColdExtraction(unreadable, rules)
    }

    // MARK: - Helpers

    /// The full record list (keys, fields, links, provenance) and the diagnostics equal those of a run without any cache.
    private func assertEqualsColdExtraction(_ result: ExtractResult, _ rules: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let cold = try ExtractHarness().run(rules, cache: false)
        XCTAssertEqual(cold.repos.map(\.filesReused), cold.repos.map { _ in 0 }, file: file, line: line)
        XCTAssertEqual(result.records, cold.records, file: file, line: line)
        XCTAssertEqual(result.diagnostics, cold.diagnostics, file: file, line: line)
    }

    private func replacingName(of path: String, in json: JSONValue, with name: String) throws -> JSONValue {
        guard case .object(var top) = json, case .array(var files)? = top["files"] else {
            throw ReconError("unexpected cache shape")
        }
        let index = try XCTUnwrap(files.firstIndex { $0["path"]?.stringValue == path })
        guard case .object(var file) = files[index], case .array(var entities)? = file["entities"],
              case .object(var entity) = entities[0], case .object(var fields)? = entity["fields"] else {
            throw ReconError("unexpected cache shape")
        }
        fields["Name"] = .string(name)
        entity["fields"] = .object(fields)
        entities[0] = .object(entity)
        file["entities"] = .array(entities)
        files[index] = .object(file)
        top["files"] = .array(files)
        return .object(top)
    }
}
