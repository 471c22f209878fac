import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// What a commit id names is what Recon reads: a shallow clone deepened later is read again (the files' last commits
/// change without any ref moving), and `refs/replace` cannot put other content in a commit's place (found in review).
final class GitHistoryTests: XCTestCase {
    private func commitOf(_ result: ExtractResult, plugin: String) -> FieldValue? {
        result.records.first { $0.table == "Plugins" && $0.fields["Name"] == .text(plugin) }?.fields["Commit"]
    }

    func testDeepeningAShallowCloneIsReadAgainWithTheDeepHistory() throws {
        let catalog = makeCatalogRepo()
        let clones = TemporaryDirectory("shallow"), clone = clones.path + "/core"
        let cloned = try ReconProcess.shell(["git", "clone", "-q", "--depth", "1", "file://" + catalog.repo.path, clone])
        XCTAssertEqual(cloned.status, 0, cloned.stderr)
        let harness = ExtractHarness(), rules = pluginAndSkillRules(path: clone)
        let shallow = try harness.run(rules)
        XCTAssertEqual(commitOf(shallow, plugin: "beta"), .text(catalog.commits[2]), "a depth-1 clone shows its one commit")
        let fetched = try ReconProcess.shell(["git", "-C", clone, "fetch", "-q", "--unshallow"])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
        let deep = try harness.run(rules)
        XCTAssertEqual(deep.repos.map(\.cached), [false], "the entry of the shallow clone no longer answers")
        XCTAssertEqual(commitOf(deep, plugin: "beta"), .text(catalog.commits[1]))
        XCTAssertEqual(deep.records, try ExtractHarness().run(rules).records, "as a cold run reads it")
    }

    func testAReplacedBlobIsNotRead() throws {
        let catalog = makeCatalogRepo()
        let rules = pluginAndSkillRules(path: catalog.repo.path)
        let before = try ExtractHarness().run(rules)
        let original = catalog.repo.git("rev-parse", "HEAD:plugins/beta/.claude-plugin/plugin.json").trimmingCharacters(in: .whitespacesAndNewlines)
        let other = catalog.repo.git("rev-parse", "HEAD:plugins/alpha/.claude-plugin/plugin.json").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = catalog.repo.git("replace", original, other)
        XCTAssertTrue(catalog.repo.git("cat-file", "-p", original).contains("alpha"), "git itself now shows the replacement")
        let after = try ExtractHarness().run(rules)
        XCTAssertEqual(after.records, before.records)
    }
}
