import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// The records entries of a run stored inline or on the other core (`Extraction.defersEntryStores`): the same entry,
/// the same seal, the same warning when it cannot be written.
final class EntryStoresTests: XCTestCase {
    private func fixture() -> GitFixture {
        let repo = GitFixture()
        repo.write("skills/a/SKILL.md", "---\nname: a\n---\n")
        repo.write("skills/b/SKILL.md", "---\nname: b\n---\n")
        repo.commit("two skills")
        return repo
    }

    private func repos(_ repo: GitFixture) -> String {
        """
        repos:
          - name: core
            path: \(repo.path)
            extract:
              - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, fields: {Name: name}}
        """
    }

    private func run(_ harness: ExtractHarness, _ repos: String, deferring: Bool) throws -> ExtractResult {
        var extraction = Extraction(manifest: try ExtractHarness.manifest(repos), stateDirectory: harness.state.path, cache: harness.cache)
        extraction.defersEntryStores = deferring
        return try extraction.run()
    }

    func testADeferredStoreIsSettledIntoTheResultAsAnInlineOneIs() throws {
        let repo = fixture()
        let inline = ExtractHarness(), deferred = ExtractHarness()
        let stored = try run(inline, repos(repo), deferring: false)
        XCTAssertNil(stored.entryStores, "an inline store is done when run returns")
        let sealed = try XCTUnwrap(stored.repos[0].sealedEntry)

        var result = try run(deferred, repos(repo), deferring: true)
        XCTAssertNotNil(result.entryStores)
        XCTAssertNil(result.repos[0].sealedEntry, "not sealed until the store is settled")
        result.settleEntryStores()
        XCTAssertNil(result.entryStores)
        XCTAssertEqual(result.repos[0].sealedEntry, sealed)
        XCTAssertEqual(result.records, stored.records)
        XCTAssertEqual(result.diagnostics, stored.diagnostics)

        // The entry is in place: the next run is answered by it, unread.
        let again = try run(deferred, repos(repo), deferring: false)
        XCTAssertTrue(again.repos[0].cached && again.repos[0].vouched, "\(again.repos[0])")
        XCTAssertEqual(again.records, stored.records)
    }

    func testAnEntryThatCannotBeStoredIsAWarningInlineAndDeferred() throws {
        let repo = fixture()
        for deferring in [false, true] {
            let harness = ExtractHarness()
            // A folder where the entry goes, not empty: the rename over it fails.
            let path = FileExtractCache(stateDirectory: harness.state.path).path(for: "core")
            try FileManager.default.createDirectory(atPath: path + "/in-the-way", withIntermediateDirectories: true)
            var result = try run(harness, repos(repo), deferring: deferring)
            result.settleEntryStores()
            XCTAssertEqual(result.records.map(\.key), ["core:skills/a/SKILL.md", "core:skills/b/SKILL.md"])
            XCTAssertNil(result.repos[0].sealedEntry, "deferring: \(deferring)")
            let warnings = result.diagnostics.filter { $0.severity == .warning }.map(\.message)
            XCTAssertEqual(warnings.count, 1, "deferring: \(deferring): \(warnings)")
            XCTAssertTrue(warnings.first?.hasPrefix("could not store the extract cache of repo 'core': cannot write the extract cache") == true,
                          "deferring: \(deferring): \(warnings)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: path + "/in-the-way"))
        }
    }

    /// A moved commit read on from a sealed entry (the 1% run): the deferred store writes the carried records from the
    /// loaded bytes without holding them, and the entry is the inline store's, byte for byte.
    func testADeferredStoreOfACommitReadOnWritesTheInlineEntry() throws {
        let repo = fixture()
        for index in 0..<30 { repo.write("skills/s\(index)/SKILL.md", "---\nname: s\(index)\n---\n") }
        repo.commit("thirty more")
        let harness = ExtractHarness()
        let path = FileExtractCache(stateDirectory: harness.state.path).path(for: "core")
        _ = try run(harness, repos(repo), deferring: false)
        let sealedFirst = try Data(contentsOf: URL(fileURLWithPath: path))
        repo.write("skills/b/SKILL.md", "---\nname: b, edited\n---\n")
        repo.commit("edit b")

        let inline = try run(harness, repos(repo), deferring: false)
        XCTAssertEqual(inline.repos[0].readNow["Skills"], ["core:skills/b/SKILL.md"], "read on from the sealed entry")
        let inlineEntry = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertNotEqual(inlineEntry, sealedFirst)

        try sealedFirst.write(to: URL(fileURLWithPath: path))
        var deferred = try run(harness, repos(repo), deferring: true)
        XCTAssertEqual(deferred.repos[0].readNow, inline.repos[0].readNow)
        deferred.settleEntryStores()
        XCTAssertEqual(deferred.records, inline.records)
        XCTAssertEqual(deferred.repos, inline.repos)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), inlineEntry)

        // And it answers the next run whole.
        let again = try run(harness, repos(repo), deferring: false)
        XCTAssertTrue(again.repos[0].cached && again.repos[0].vouched, "\(again.repos[0])")
        XCTAssertEqual(again.records, inline.records)
        XCTAssertEqual(again.records.count, 32)
    }

    /// A store on another core must not keep the state's records alive through `held`: `CellSharing` changes the state
    /// beside it, and a second reference made that a copy of every table.
    func testTheCacheAStoreHoldsKeepsNoHeldCells() throws {
        let harness = ExtractHarness()
        var cache = FileExtractCache(stateDirectory: harness.state.path)
        cache.held = HeldCells { _, _ in nil }
        let storing = try XCTUnwrap(cache.forStoring as? FileExtractCache)
        XCTAssertNil(storing.held)
        XCTAssertEqual(storing.directory, cache.directory)
    }
}
