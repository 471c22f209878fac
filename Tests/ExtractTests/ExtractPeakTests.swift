@testable import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// What the cold extraction and the delta plan hold at their peak (issue 12, goal 5, fix/coldmem): each test fails on
/// the code before that cut.
final class ExtractPeakTests: XCTestCase {
    /// A repo of `count` skills under two plugins, committed.
    private func catalog(skills count: Int) -> GitFixture {
        let repo = GitFixture("core")
        _ = commitTwoPlugins(repo)
        for index in 0..<count {
            repo.write("plugins/\(index % 2 == 0 ? "alpha" : "beta")/skills/s\(index)/SKILL.md", "---\nname: s\(index)\ncount: \(index)\n---\n")
        }
        repo.commit("skills")
        return repo
    }

    /// The entity list is made at its size: grown by doubling, 300 entities held room for 512 while every file still
    /// held its own list.
    func testTheExtractorsEntityAndFileListsAreSizedOnce() throws {
        let repo = catalog(skills: 300)
        let manifest = try ExtractHarness.manifest(pluginAndSkillRules(path: repo.path))
        let spec = manifest.repos[0]
        let extractor = RepoExtractor(repo: spec, tables: Dictionary(manifest.tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
                                      limits: .default)
        let repository = GitRepository(directory: repo.path)
        let output = try extractor.extract(from: repository, commit: try repository.resolve("HEAD"))
        XCTAssertEqual(output.entities.count, 304)
        XCTAssertLessThan(output.entities.capacity, 320, "sized once, not grown by doubling")
        XCTAssertEqual(output.files.count, 304)
        XCTAssertLessThan(output.files.capacity, 320)
    }

    /// A pending entity keeps of its rule only what the assembler reads (its location and error policy), not the
    /// whole rule: 100,000 of them are held at once.
    func testAPendingEntityIsSmall() {
        XCTAssertLessThanOrEqual(MemoryLayout<PendingEntity>.stride, 176)
    }

    /// The assembler takes the entities out of the outputs it was given, so they are let go once the records are made.
    func testTheAssemblerLetsTheEntitiesGo() throws {
        let repo = catalog(skills: 3)
        let manifest = try ExtractHarness.manifest(pluginAndSkillRules(path: repo.path))
        let extractor = RepoExtractor(repo: manifest.repos[0], tables: Dictionary(manifest.tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
                                      limits: .default)
        let repository = GitRepository(directory: repo.path)
        let output = try extractor.extract(from: repository, commit: try repository.resolve("HEAD"))
        var assembler = RecordAssembler(fresh: ["core": output], cached: [:], repoNames: ["core"])
        let assembled = assembler.assemble()
        XCTAssertEqual(assembled.records["core"]?.count, 7)
        XCTAssertEqual(assembler.fresh["core"]?.entities.count, 0)
        XCTAssertEqual(assembler.fresh["core"]?.files.count, 7, "the rest stays for the caches")
    }

    /// With `leavesCellsEncoded` (the delta plan), a sealed entry's records keep their cells in its bytes until read,
    /// and read then as the decoded ones; an entry this folder did not seal is decoded as before.
    func testASealedEntryLeavesItsCellsEncodedWhenAsked() throws {
        let repo = catalog(skills: 5)
        let rules = pluginAndSkillRules(path: repo.path)
        let harness = ExtractHarness()
        let first = try harness.run(rules)
        let manifest = try ExtractHarness.manifest(rules)

        var lazy = FileExtractCache(stateDirectory: harness.state.path)
        lazy.leavesCellsEncoded = true
        let lean = try Extraction(manifest: manifest, stateDirectory: harness.state.path, cache: lazy).run()
        XCTAssertEqual(lean.repos.map(\.vouched), [true])
        XCTAssertEqual(lean.records.count, 9)
        XCTAssertTrue(lean.records.allSatisfy(\.fieldsAreEncoded))
        XCTAssertEqual(lean.records, first.records)
        for (encoded, read) in zip(lean.records, first.records) {
            XCTAssertTrue(zip(encoded.fields.keys, read.fields.keys).allSatisfy { $0.hasSameUTF8(as: $1) }, encoded.key)
        }

        let eager = try Extraction(manifest: manifest, stateDirectory: harness.state.path, cache: FileExtractCache(stateDirectory: harness.state.path)).run()
        XCTAssertFalse(eager.records.contains(where: \.fieldsAreEncoded), "decoded unless asked")

        // Another build's seal is not taken at its word: the entry is not vouched, so its cells are decoded.
        var other = FileExtractCache(stateDirectory: harness.state.path, build: "another build")
        other.leavesCellsEncoded = true
        let foreign = try Extraction(manifest: manifest, stateDirectory: harness.state.path, cache: other).run()
        XCTAssertFalse(foreign.records.contains(where: \.fieldsAreEncoded))
        XCTAssertEqual(foreign.records, first.records)
    }
}
