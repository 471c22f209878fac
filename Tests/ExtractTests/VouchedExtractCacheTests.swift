import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// An exact-commit entry this state folder sealed with its trust key, for this build, answers without the
/// `ls-tree` check. One it cannot vouch for (copied from another state folder, edited with its checksum
/// recomputed, written by another build or an older Recon) is checked against the tree exactly as before.
/// A broken tree object shows which: only the check (or a re-read) needs it.
final class VouchedExtractCacheTests: XCTestCase {
    private let catalog = makeCatalogRepo()
    private var rules: String { pluginAndSkillRules(path: catalog.repo.path) }

    /// Deletes the loose object `spec` names, so `ls-tree -r` (and any read of the repo) at HEAD fails.
    private func breakTree(_ spec: String = "HEAD:plugins") throws {
        let id = catalog.repo.git("rev-parse", spec).trimmingCharacters(in: .whitespacesAndNewlines)
        let path = "\(catalog.repo.path)/.git/objects/\(id.prefix(2))/\(id.dropFirst(2))"
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "the fixture's objects are loose")
        try FileManager.default.removeItem(atPath: path)
    }

    private func entryPath(_ harness: ExtractHarness) -> String {
        FileExtractCache(stateDirectory: harness.state.path).path(for: "core")
    }

    private func run(_ harness: ExtractHarness, build: String) throws -> ExtractResult {
        try Extraction(manifest: try ExtractHarness.manifest(rules), stateDirectory: harness.state.path,
                       cache: FileExtractCache(stateDirectory: harness.state.path, build: build)).run()
    }

    /// The entry with one text edited and its checksum recomputed as the format defines it, everything else kept.
    private func edited(_ bytes: [UInt8], _ old: String, _ new: String) throws -> [UInt8] {
        var text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains(old))
        text = text.replacingOccurrences(of: old, with: new)
        let member = #""checksum":""#
        let start = try XCTUnwrap(text.range(of: member)).lowerBound.utf16Offset(in: text)
        let edited = Array(text.utf8), bodyStart = start + member.utf8.count + 66
        let checksum = SHA256.hex([UInt8(ascii: "{")] + edited[bodyStart...])
        return Array(edited[..<(start + member.utf8.count)]) + Array(checksum.utf8) + Array(edited[(start + member.utf8.count + 64)...])
    }

    func testAnEntryThisStateFolderSealedAnswersWithoutListingTheTree() throws {
        let harness = ExtractHarness()
        let cold = try harness.run(rules)
        XCTAssertEqual(cold.repos.map(\.vouched), [false], "read from the repo")
        try breakTree()
        let hit = try harness.run(rules)
        XCTAssertEqual(hit.repos.map(\.cached), [true])
        XCTAssertEqual(hit.repos.map(\.vouched), [true])
        XCTAssertEqual(hit.records, cold.records)
    }

    func testAnEntryCopiedFromAnotherStateFolderIsCheckedAgainstTheTree() throws {
        let first = ExtractHarness(), second = ExtractHarness()
        _ = try first.run(rules)
        try PrivateFile.createDirectory(second.state.path + "/cache")
        try FileManager.default.copyItem(atPath: first.state.path + "/cache/extract", toPath: second.state.path + "/cache/extract")
        let copied = try second.run(rules)
        XCTAssertEqual(copied.repos.map(\.cached), [true], "still an answer, once checked")
        XCTAssertEqual(copied.repos.map(\.vouched), [false])
        try breakTree()
        XCTAssertThrowsError(try second.run(rules), "the copy is checked against the tree, which is broken")
        XCTAssertEqual(try first.run(rules).repos.map(\.vouched), [true], "the folder that wrote it still trusts it")
    }

    func testAnEntryEditedWithItsChecksumRecomputedIsNotVouchedFor() throws {
        let harness = ExtractHarness()
        let cold = try harness.run(rules)
        let path = entryPath(harness)
        let bytes = try edited([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: path))), #""Name":"two""#, #""Name":"TWO""#)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let loaded = try XCTUnwrap(FileExtractCache(stateDirectory: harness.state.path)
            .load(repo: "core", commit: catalog.commits[2], fingerprint: try fingerprint(path)), "the checksum verifies: it answers")
        XCTAssertFalse(loaded.vouched, "its seal does not cover the new checksum")
        XCTAssertEqual(try harness.run(rules).repos.map(\.vouched), [false])
        try breakTree()
        XCTAssertThrowsError(try harness.run(rules))
        XCTAssertNotEqual(loaded.records, cold.records)
    }

    func testAnEntrySealedWithAnotherStateFoldersKeyIsNotVouchedFor() throws {
        let harness = ExtractHarness(), other = ExtractHarness()
        _ = try harness.run(rules)
        let path = entryPath(harness)
        var entry = try XCTUnwrap(FileExtractCache(stateDirectory: harness.state.path)
            .load(repo: "core", commit: catalog.commits[2], fingerprint: try fingerprint(path)))
        XCTAssertTrue(entry.vouched)
        let index = try XCTUnwrap(entry.records.firstIndex { $0.fields["Name"] == .text("two") })
        let record = entry.records[index]
        entry.records[index] = DesiredRecord(table: record.table, key: record.key,
                                             fields: record.fields.merging(["Name": .text("planted")]) { $1 }, provenance: record.provenance)
        try FileExtractCache(stateDirectory: other.state.path).store(entry)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: entryPath(other), toPath: path)

        let reloaded = try XCTUnwrap(FileExtractCache(stateDirectory: harness.state.path)
            .load(repo: "core", commit: catalog.commits[2], fingerprint: entry.fingerprint))
        XCTAssertFalse(reloaded.vouched)
        XCTAssertTrue(try XCTUnwrap(FileExtractCache(stateDirectory: other.state.path)
            .load(repo: "core", commit: catalog.commits[2], fingerprint: entry.fingerprint)).vouched, "sealed, but for the other folder")
        try breakTree()
        XCTAssertThrowsError(try harness.run(rules))
    }

    func testAnEntryAnotherBuildSealedIsNotVouchedFor() throws {
        let harness = ExtractHarness()
        _ = try run(harness, build: "recon 0.1.0 an older build")
        XCTAssertEqual(try run(harness, build: "recon 0.1.0 an older build").repos.map(\.vouched), [true])
        XCTAssertEqual(try harness.run(rules).repos.map(\.vouched), [false], "this build does not take the other's word")
        try breakTree()
        XCTAssertThrowsError(try harness.run(rules))
    }

    func testAnEntryWithOnlyTheOldChecksumStillAnswersUnvouched() throws {
        let harness = ExtractHarness()
        let cold = try harness.run(rules)
        let path = entryPath(harness)
        let bytes = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: path)))
        let text = String(decoding: bytes, as: UTF8.self)
        let checksum = try XCTUnwrap(text.range(of: #""checksum":""#)).lowerBound
        let old = "{" + text[checksum...]
        XCTAssertTrue(old.hasPrefix(#"{"checksum":""#))
        try Data(old.utf8).write(to: URL(fileURLWithPath: path))
        let hit = try harness.run(rules)
        XCTAssertEqual(hit.repos.map(\.cached), [true])
        XCTAssertEqual(hit.repos.map(\.vouched), [false])
        XCTAssertEqual(hit.records, cold.records)
    }

    func testAnEntryWrittenAfterPerFileReuseIsNotSealed() throws {
        let harness = ExtractHarness(readsOnFromSealedEntries: false)
        _ = try harness.run(rules)
        catalog.repo.write("skills/solo/SKILL.md", "---\nname: solo again\n---\n")
        catalog.repo.commit("edit solo")
        let moved = try harness.run(rules)
        XCTAssertGreaterThan(moved.repos.first?.filesReused ?? 0, 0)
        XCTAssertEqual(try harness.run(rules).repos.map(\.vouched), [false],
                       "records answered by the unsealed per-file cache are not vouched for")
    }

    /// `core` (links by ancestor only) beside `other`, whose skills link to core's plugins by key.
    private let other: GitFixture = {
        let other = GitFixture("other")
        other.write("skills/x/SKILL.md", "---\nname: x\nplugin: core:plugins/beta\n---\n")
        other.commit("x")
        return other
    }()

    private func twoRepos() -> String {
        rules + """
              - name: other
                path: \(other.path)
                extract:
                  - {table: Skills, files: ["skills/*/SKILL.md"], as: frontmatter, fields: {Name: name, Plugin: {link: Plugins, from: plugin}}}

            """
    }

    /// Makes `repo`'s entry one an older Recon wrote (checksum only), and deletes the cache files of `read`.
    private func unseal(_ repo: String, reading read: String, in harness: ExtractHarness) throws {
        let cache = FileExtractCache(stateDirectory: harness.state.path)
        let text = String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: cache.path(for: repo))), as: UTF8.self)
        try Data(("{" + text[try XCTUnwrap(text.range(of: #""checksum":""#)).lowerBound...]).utf8).write(to: URL(fileURLWithPath: cache.path(for: repo)))
        try FileManager.default.removeItem(atPath: cache.path(for: read))
        try FileManager.default.removeItem(atPath: cache.filesPath(for: read))
    }

    func testARepoReadInFullIsSealedBesideAnUnsealedOneItDoesNotLinkInto() throws {
        let harness = ExtractHarness(), repos = twoRepos()
        _ = try harness.run(repos)
        XCTAssertEqual(try harness.run(repos).repos.map(\.vouched), [true, true])
        try unseal("other", reading: "core", in: harness)
        XCTAssertEqual(try harness.run(repos).repos.map(\.cached), [false, true])
        XCTAssertEqual(try harness.run(repos).repos.map(\.vouched), [true, false], "core's records depend on core alone")
    }

    func testARepoLinkingByKeyIntoAnUnsealedOneIsNotSealed() throws {
        let harness = ExtractHarness(), repos = twoRepos()
        _ = try harness.run(repos)
        try unseal("core", reading: "other", in: harness)
        XCTAssertEqual(try harness.run(repos).repos.map(\.cached), [true, false])
        XCTAssertEqual(try harness.run(repos).repos.map(\.vouched), [false, false],
                       "other's links were resolved against keys an unsealed entry gave")
    }

    private func fingerprint(_ path: String) throws -> String {
        let json = try JSONParser.parse([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: path))))
        return try XCTUnwrap(json["fingerprint"]?.stringValue)
    }
}
