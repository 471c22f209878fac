@testable import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// A moved commit read on from the sealed records entry writes the next entry with the carried records' bytes copied
/// from the old one (`CachedExtraction.encoded`, issue 12). The entry left behind must be exactly what encoding its
/// records would write, and hold exactly the records the run returned.
final class SplicedEntryTests: XCTestCase {
    /// Skills whose values take the encoder's every branch: escapes, a control character, a decomposed accent, lists,
    /// fractions and large numbers, booleans.
    private func writeSkills(_ repo: GitFixture, revision: Int) {
        for index in 0..<12 {
            let title = index % 3 == 0 ? #"say \"hi\"\ttab, cafe\u0301 \u0007 #\#(index)"# : "plain \(index)"
            repo.write("plugins/\(index % 2 == 0 ? "alpha" : "beta")/skills/s\(index)/SKILL.md", """
                ---
                name: "skill \(index) \(index == 5 ? revision : 0)"
                count: \(index % 4 == 0 ? "0.1" : index % 4 == 1 ? "1e21" : "\(index * 1000 + 7)")
                enabled: \(index % 2 == 0)
                tags: [\(index % 3 == 0 ? "a, b" : "c")]
                title: "\(title)"
                ---
                # Skill \(index)

                """)
        }
    }

    /// Two plugins and their skills committed and extracted once: the repo's records entry is sealed.
    private func sealedEntry() throws -> (GitFixture, ExtractHarness) {
        let repo = GitFixture("core")
        _ = commitTwoPlugins(repo)
        writeSkills(repo, revision: 0)
        repo.commit("skills")
        let harness = ExtractHarness()
        _ = try harness.run(rules(repo.path))
        return (repo, harness)
    }

    private func rules(_ path: String) -> String {
        pluginAndSkillRules(path: path, skillsExtra: "")
            .replacingOccurrences(of: "          Count: count\n", with: "          Count: count\n          Enabled: enabled\n          Tags: tags\n          Title: title\n")
    }

    func testTheEntryWrittenFromCarriedBytesIsTheEncodedEntry() throws {
        let (repo, harness) = try sealedEntry()
        let rules = rules(repo.path)

        writeSkills(repo, revision: 1)
        repo.write("plugins/beta/skills/new/SKILL.md", "---\nname: new\n---\n")
        repo.remove("plugins/alpha/skills/s2/SKILL.md")
        repo.commit("edit s5, add new, remove s2")
        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesRead), [2], "read on from the sealed entry")
        XCTAssertEqual(result.repos.map(\.filesReused), [0])

        let cache = FileExtractCache(stateDirectory: harness.state.path)
        let path = cache.path(for: "core")
        let spliced = try XCTUnwrap(FileManager.default.contents(atPath: path))
        let fingerprint = try XCTUnwrap(try JSONParser.parse([UInt8](spliced))["fingerprint"]?.stringValue)
        var entry = try XCTUnwrap(cache.loadSealed(repo: "core", fingerprint: fingerprint), "the entry is sealed again")
        XCTAssertEqual(entry.records.count, result.records.count)
        XCTAssertEqual(entry.records.sorted { ($0.table, $0.key) < ($1.table, $1.key) }, result.records,
                       "the entry holds the records the run returned")
        XCTAssertGreaterThan(entry.records.count, 10)

        entry.encoded = nil
        try cache.store(entry)
        let encoded = try XCTUnwrap(FileManager.default.contents(atPath: path))
        XCTAssertEqual(String(decoding: spliced, as: UTF8.self), String(decoding: encoded, as: UTF8.self),
                       "copied bytes are the bytes the encoder writes")
        XCTAssertEqual(spliced, encoded)

        let cold = try ExtractHarness().run(rules, cache: false)
        XCTAssertEqual(result.records, cold.records)
        XCTAssertEqual(result.diagnostics, cold.diagnostics)
        let again = try harness.run(rules)
        XCTAssertEqual(again.repos.map(\.vouched), [true])
        XCTAssertEqual(again.records, cold.records)
    }

    /// The records are copied from the bytes verified at the load, not from the file: a file edited, cut short or removed
    /// since leaves the next entry as it would have been.
    func testAnEntryChangedSinceItWasLoadedIsNotCopiedFrom() throws {
        let (_, harness) = try sealedEntry()
        let cache = FileExtractCache(stateDirectory: harness.state.path)
        let path = cache.path(for: "core")
        let original = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: path)))
        let fingerprint = try XCTUnwrap(try JSONParser.parse(original)["fingerprint"]?.stringValue)

        let edits: [(String, ([UInt8], Range<Int>) -> [UInt8])] = [
            ("a letter of the first record changed", { bytes, first in
                var edited = bytes
                let at = try! XCTUnwrap(bytes[first].firstIndex(of: UInt8(ascii: "P")))
                edited[at] = UInt8(ascii: "Q")
                return edited
            }),
            ("cut short in the records", { bytes, first in Array(bytes[..<(first.upperBound + 3)]) }),
            ("removed", { _, _ in [] }),
        ]
        for (what, edit) in edits {
            try Data(original).write(to: URL(fileURLWithPath: path))
            let entry = try XCTUnwrap(cache.loadSealed(repo: "core", fingerprint: fingerprint))
            let first = try XCTUnwrap(entry.encoded?.ranges.first)
            XCTAssertEqual(entry.encoded?.ranges.count, entry.records.count)
            let edited = edit(original, first)
            if edited.isEmpty { try FileManager.default.removeItem(atPath: path) } else { try Data(edited).write(to: URL(fileURLWithPath: path)) }
            try cache.store(entry)
            XCTAssertEqual([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: path))), original, what)
        }
    }

    /// The carried records' cells are not decoded by the delta extract (issue 12, goal 4): they stay in the loaded bytes
    /// until read, and read then as a cold extraction makes them.
    func testCarriedRecordsKeepTheirCellsUndecodedUntilRead() throws {
        let (repo, harness) = try sealedEntry()
        let rules = rules(repo.path)
        writeSkills(repo, revision: 1)
        repo.commit("edit s5")
        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesRead), [1], "read on from the sealed entry")
        let readNow = result.repos[0].readNow.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        XCTAssertEqual(readNow, ["core:plugins/beta/skills/s5"])
        for record in result.records {
            XCTAssertEqual(record.fieldsAreEncoded, !readNow.contains(record.key), record.key)
        }
        let cold = try ExtractHarness().run(rules, cache: false)
        XCTAssertEqual(result.records.count, cold.records.count)
        for (carried, read) in zip(result.records, cold.records) {
            XCTAssertEqual(carried.fields, read.fields, carried.key)
            XCTAssertTrue(zip(carried.fields.keys, read.fields.keys).allSatisfy { $0.hasSameUTF8(as: $1) }, carried.key)
        }
        XCTAssertEqual(result.records, cold.records)
        XCTAssertEqual(Set(result.records), Set(cold.records))
    }

    /// The entry with `edit` applied to its records and sealed again with this folder's key, as a forger holding the key
    /// would: the MAC vouches for it.
    private func forged(_ bytes: [UInt8], in harness: ExtractHarness, _ edit: (String) -> String) throws -> [UInt8] {
        let body = Array(edit(String(decoding: bytes[(ExtractCacheSeal.checksumOffset + ExtractCacheChecksum.memberLength)...],
                                     as: UTF8.self)).utf8)
        let checksum = SHA256.hex([UInt8(ascii: "{")] + body)
        let seal = ExtractCacheSeal(key: try LocalTrustKey.load(stateDirectory: harness.state.path), build: ReconBuild.identity)
        return [UInt8(ascii: "{")] + seal.member(for: checksum) + ExtractCacheChecksum.member + Array(checksum.utf8)
            + Array(#"","#.utf8) + body
    }

    /// Cells the decode would refuse, under a seal that verifies: the load passes over every record's cells with the
    /// decode's checks, so the entry is a miss there (a later decode would stop the process instead).
    func testASealedEntryWithCellsTheDecodeRefusesIsAMissAtTheLoad() throws {
        let (_, harness) = try sealedEntry()
        let cache = FileExtractCache(stateDirectory: harness.state.path)
        let path = cache.path(for: "core")
        let original = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: path)))
        let fingerprint = try XCTUnwrap(try JSONParser.parse(original)["fingerprint"]?.stringValue)
        func load(_ bytes: [UInt8]) throws -> CachedExtraction? {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return cache.loadSealed(repo: "core", fingerprint: fingerprint)
        }
        XCTAssertNotNil(try load(try forged(original, in: harness) { $0 }), "the control: resealed unchanged, it is read on from")
        let edits: [(String, String)] = [
            (#""Enabled":true"#, #""Enabled":[1]"#), (#""Enabled":true"#, #""Enabled":{"a":true}"#),
            (#""Enabled":true"#, #""Enabled":1e999"#), (#""Enabled":true"#, #""Enabled":"\u12""#),
            (#""Enabled":true"#, #""Enabled":tru"#), (#""Enabled":true"#, #""Enabled":[null]"#),
        ]
        for (old, new) in edits {
            let bytes = try forged(original, in: harness) { text in
                XCTAssertTrue(text.contains(old))
                return text.replacingOccurrences(of: old, with: new)
            }
            XCTAssertNil(try load(bytes), new)
        }
    }
}
