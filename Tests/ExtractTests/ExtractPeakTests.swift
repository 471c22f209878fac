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

    /// Equal values of entities built apart (tags, a long title, the link to their plugin) share one storage, in the
    /// entities and the records; the values are the same bytes as read.
    func testEqualValuesOfEntitiesShareOneStorage() throws {
        let repo = GitFixture("core")
        _ = commitTwoPlugins(repo)
        for index in 0..<6 {
            repo.write("plugins/alpha/skills/s\(index)/SKILL.md", "---\nname: s\(index)\ntags: [a, b]\ntitle: one long title, repeated\n---\n")
        }
        repo.commit("skills")
        let rules = pluginAndSkillRules(path: repo.path)
            .replacingOccurrences(of: "          Count: count\n", with: "          Count: count\n          Tags: tags\n          Title: title\n")
        let manifest = try ExtractHarness.manifest(rules)
        let extractor = RepoExtractor(repo: manifest.repos[0], tables: Dictionary(manifest.tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
                                      limits: .default)
        let repository = GitRepository(directory: repo.path)
        let output = try extractor.extract(from: repository, commit: try repository.resolve("HEAD"))
        let skills = output.entities.filter { $0.key.hasPrefix("core:plugins/alpha/skills/s") }
        XCTAssertEqual(skills.count, 6)
        func storage(_ value: FieldValue?) -> UnsafeRawPointer? {
            switch value {
            case .list(let items)?: items.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            case .text(let text)?: text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
            default: nil
            }
        }
        XCTAssertEqual(Set(skills.map { storage($0.fields["Tags"]) }).count, 1, "one tag list")
        XCTAssertEqual(Set(skills.map { storage($0.fields["Title"]) }).count, 1, "one title")
        XCTAssertEqual(skills.map { $0.fields["Tags"] }, Array(repeating: .list(["a", "b"]), count: 6))

        var assembler = RecordAssembler(fresh: ["core": output], cached: [:], repoNames: ["core"])
        let records = try XCTUnwrap(assembler.assemble().records["core"]).filter { $0.key.hasPrefix("core:plugins/alpha/skills/s") }
        XCTAssertEqual(records.map { $0.fields["Plugin"] }, Array(repeating: .list(["core:plugins/alpha"]), count: 6))
        XCTAssertEqual(Set(records.map { storage($0.fields["Plugin"]) }).count, 1, "one link list")
        XCTAssertEqual(try ExtractHarness().run(rules, cache: false).records.filter { $0.key.hasPrefix("core:plugins/alpha/skills/s") }
            .map(\.fields["Title"]), Array(repeating: .text("one long title, repeated"), count: 6))
    }

    /// The assembler takes a cached entry's records out too, so the one list the extraction returns is unique; the
    /// entry's records share their commit's string.
    func testTheAssemblerTakesACachedEntrysRecords() throws {
        let repo = catalog(skills: 3)
        let rules = pluginAndSkillRules(path: repo.path)
        let harness = ExtractHarness()
        let first = try harness.run(rules)
        let commit = try GitRepository(directory: repo.path).resolve("HEAD")
        let cache = FileExtractCache(stateDirectory: harness.state.path)
        let entryFile = try JSONParser.parse([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: cache.path(for: "core")))))
        let fingerprint = try XCTUnwrap(entryFile["fingerprint"]?.stringValue)
        let entry = try XCTUnwrap(cache.load(repo: "core", commit: commit, fingerprint: fingerprint))
        var assembler = RecordAssembler(fresh: [:], cached: ["core": entry], repoNames: ["core"])
        let assembled = assembler.assemble()
        XCTAssertEqual(assembled.records["core"]?.count, first.records.count)
        XCTAssertEqual(assembler.cached["core"]?.records.count, 0)

        // The records of one commit's files hold one string of it, read from the entry.
        let skills = entry.records.filter { $0.key.hasPrefix("core:plugins/") && $0.key.contains("/skills/s") }
        XCTAssertEqual(skills.count, 3)
        XCTAssertEqual(Set(skills.map(\.provenance.sourceCommit)), [commit])
        let storages = Set(skills.map { $0.provenance.sourceCommit.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil })
        XCTAssertEqual(storages.count, 1, "one commit string")
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
