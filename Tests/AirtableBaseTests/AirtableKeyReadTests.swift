import AirtableBase
import Foundation
import ReconCore
import Remote
import TestSupport
import XCTest

/// Reads by key (apply's preflight and each upsert's look-up) in `OR({Key}='…', …)` chunks as long as
/// Airtable's 16,000-character URL allows, with keys that try to end their string literal.
final class AirtableKeyReadTests: XCTestCase {
    /// Preflight and upserts look up keys that are mostly not there yet (creates): 300 of them fit one URL.
    func testThreeHundredKeysCostOneRequestWithinTheURLLimit() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (_, skills) = try harness.createCatalog(provider)
        for index in 280..<320 {
            harness.emulator.insertRecord(harness.baseID, table: "Skills", cells: ["Key": .string("core:skills/s\(index)")])
        }
        harness.emulator.resetLog()
        let keys = (0..<300).map { "core:skills/s\($0)" }
        let read = try provider.readRecords(keys: keys, field: "Key", in: skills)
        XCTAssertEqual(Set(read.compactMap { $0.fields["Key"].flatMap(Self.text) }), Set(keys.suffix(20)))
        let requests = harness.emulator.requests
        XCTAssertEqual(requests.count, 1, "300 keys in one URL of at most 16,000 characters (was 1,500 formula characters a request)")
        XCTAssertTrue(requests.allSatisfy { $0.status == 200 && $0.urlLength <= AirtableEmulator.maxURLLength })
        XCTAssertGreaterThan(requests.map(\.urlLength).max() ?? 0, 10_000, "the URL used close to the limit")
    }

    func testLongKeysSplitIntoURLsUnderTheLimitAndAHugeKeyFallsBackToAListing() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (_, skills) = try harness.createCatalog(provider)
        let keys = (0..<200).map { "k\($0)-" + String(repeating: "é", count: 120) }
        for key in keys.prefix(150) { harness.emulator.insertRecord(harness.baseID, table: "Skills", cells: ["Key": .string(key)]) }
        harness.emulator.resetLog()
        let read = try provider.readRecords(keys: keys, field: "Key", in: skills)
        XCTAssertEqual(read.count, 150)
        XCTAssertGreaterThan(harness.emulator.requests.count, 1)
        XCTAssertTrue(harness.emulator.requests.allSatisfy { $0.status == 200 && $0.urlLength <= AirtableEmulator.maxURLLength })

        let huge = String(repeating: "x", count: 20_000)
        harness.emulator.insertRecord(harness.baseID, table: "Skills", cells: ["Key": .string(huge)])
        harness.emulator.resetLog()
        let found = try provider.readRecords(keys: [huge, keys[0]], field: "Key", in: skills)
        XCTAssertEqual(Set(found.compactMap { $0.fields["Key"].flatMap(Self.text) }), [huge, keys[0]])
        XCTAssertTrue(harness.emulator.requests.allSatisfy { $0.status == 200 && $0.formula == nil }, "a key no URL can hold: the table is listed")
    }

    /// A key is free text from a repo: one that closes its quote and adds `TRUE()` would read every record.
    /// The formula the server received must hold exactly one comparison per key, each with the key as it is.
    func testHostileKeysStayInsideTheirStringLiterals() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (_, skills) = try harness.createCatalog(provider)
        let hostile = ["a'b", "x'),TRUE(),OR('", "back\\slash", "ends\\", "\\'", "line\nbreak", "tab\there", "cr\rlf",
                       "quote\"double", "{Key}='k1'", "ünï©ødé 🧪", "'", "\\\\'),1,('",
                       "\u{301}'),TRUE(),OR('", "ends in a prepended mark\u{600}", "'\u{301}"]
        for index in 0..<5 { harness.emulator.insertRecord(harness.baseID, table: "Skills", cells: ["Key": .string("k\(index)")]) }
        for key in hostile { harness.emulator.insertRecord(harness.baseID, table: "Skills", cells: ["Key": .string(key)]) }
        harness.emulator.resetLog()
        let read = try provider.readRecords(keys: hostile, field: "Key", in: skills)
        XCTAssertEqual(Set(read.compactMap { $0.fields["Key"].flatMap(Self.text) }), Set(hostile))
        let formulas = harness.emulator.requests.compactMap(\.formula)
        XCTAssertEqual(formulas.count, 1)
        let parsed = try XCTUnwrap(formulas.first.flatMap(EmulatorFormula.init), "the formula parses")
        XCTAssertEqual(Set(parsed.terms), Set(hostile.map { EmulatorFormula.Term.field(name: "Key", equals: $0) }),
                       "one comparison per key, no term a key smuggled in")
        XCTAssertEqual(parsed.terms.count, hostile.count)
    }

    /// Each upsert looks its keys up just before it writes: a record someone made under a key while earlier
    /// batches were written keeps its before-image and is not counted as Recon's (a rollback would delete it).
    /// Looking several batches up at once (tried for issue 12) widened that window to ten batches; this failed then.
    func testARecordMadeUnderAKeyBetweenBatchesKeepsItsBeforeImage() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (_, skills) = try harness.createCatalog(provider)
        let keys = (0..<30).map { "core:skills/s\($0)" }
        var results: [UpsertedRecord] = []
        var outsider: String?
        for start in stride(from: 0, to: keys.count, by: 10) {
            if start == 10 {
                outsider = harness.emulator.insertRecord(harness.baseID, table: "Skills", cells: ["Key": .string(keys[25])])
            }
            results += try provider.upsert(keys[start..<start + 10].map { ["Key": .text($0)] }, in: skills, mergeOn: "Key")
        }
        XCTAssertEqual(results[25].record.id, outsider)
        XCTAssertEqual(results[25].previous?.id, outsider, "the record someone made keeps its before-image")
        XCTAssertFalse(results[25].created, "and is not Recon's to delete on rollback")
        XCTAssertEqual(results.filter(\.created).count, 29)
        XCTAssertEqual(harness.emulator.requests.filter { $0.method == "GET" && $0.formula != nil }.count, 3, "one look-up per batch")
    }

    private static func text(_ value: FieldValue) -> String? {
        if case .text(let text) = value { return text }
        return nil
    }
}
