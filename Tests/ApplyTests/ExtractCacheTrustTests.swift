import Apply
import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// An extract cache that does not match its source is read again: it can never make a record disappear.
final class ExtractCacheTrustTests: XCTestCase {
    private let two = "core:plugins/alpha/skills/two"

    func testAnExtractCacheThatLostARecordIsReadAgainAndPlansNoDelete() throws {
        let harness = try ApplyHarness.withThreeSkillsApplied()
        let cache = FileExtractCache(stateDirectory: harness.project.path + "/state")
        let document = try JSONParser.parse(Array(try XCTUnwrap(FileManager.default.contents(atPath: cache.path(for: "core")))))
        var entry = try XCTUnwrap(document.objectValue)
        entry["records"] = .array(try XCTUnwrap(entry["records"]?.arrayValue).filter { $0["key"]?.stringValue != two })
        try Data(JSONValue.object(entry).canonicalBytes()).write(to: URL(fileURLWithPath: cache.path(for: "core")))

        let outcome = try harness.plan()
        XCTAssertEqual(outcome.plan.recordChanges.filter { $0.action == .delete }, [], "a cache never makes a record disappear")
        XCTAssertFalse(outcome.plan.hasChanges)
        XCTAssertTrue(outcome.warnings.contains { $0.message.contains("extract cache of repo 'core' did not match its source") },
                      outcome.warnings.map(\.message).joined(separator: "\n"))
        let reread = try XCTUnwrap(cache.load(repo: "core", commit: harness.repo.git("rev-parse", "HEAD")
            .trimmingCharacters(in: .whitespacesAndNewlines), fingerprint: try XCTUnwrap(entry["fingerprint"]?.stringValue)))
        XCTAssertTrue(reread.records.contains { $0.key == two }, "the cache is written again from the source")
    }

    func testAPerFileCacheThatLostARecordIsReadAgainWhenTheCommitMoves() throws {
        let harness = try ApplyHarness.withThreeSkillsApplied()
        let cache = FileExtractCache(stateDirectory: harness.project.path + "/state")
        let path = cache.filesPath(for: "core")
        var entry = try XCTUnwrap(JSONParser.parse(Array(try XCTUnwrap(FileManager.default.contents(atPath: path)))).objectValue)
        entry["files"] = .array(try XCTUnwrap(entry["files"]?.arrayValue).map { file in
            guard file["path"]?.stringValue == "plugins/alpha/skills/two/SKILL.md", var members = file.objectValue else { return file }
            members["entities"] = .array([])
            return .object(members)
        })
        try Data(JSONValue.object(entry).canonicalBytes()).write(to: URL(fileURLWithPath: path))
        harness.addSkill("alpha", "one", name: "One v2")
        harness.repo.commit("rename one")

        let outcome = try harness.plan()
        XCTAssertEqual(outcome.plan.recordChanges.filter { $0.action == .delete }, [], "a cache never makes a record disappear")
        XCTAssertEqual(outcome.plan.recordChanges.map(\.key), ["core:plugins/alpha/skills/one"])
    }
}
