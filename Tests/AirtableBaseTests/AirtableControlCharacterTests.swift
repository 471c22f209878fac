import AirtableBase
import Foundation
import ReconCore
import Remote
import TestSupport
import XCTest

/// Control characters in values cross the wire as JSON escapes (the emulator's parser, like
/// Airtable's, refuses a raw one) and come back exactly.
final class AirtableControlCharacterTests: XCTestCase {
    func testNULAndControlCharactersRoundTripThroughTheAPI() throws {
        let value = "a\u{0}b\u{1}c\u{1F}\u{7F}\n\t\"\\d"
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (_, skills) = try harness.createCatalog(provider)
        let fields: [String: FieldValue] = ["Key": .text("core:\u{0}a"), "Body": .text(value), "Tags": .list(["a"])]
        let written = try provider.upsert([fields], in: skills, mergeOn: "Key")
        let again = try provider.upsert([fields], in: skills, mergeOn: "Key")

        XCTAssertEqual(again.map(\.created), [false], "the key with a NUL merges with itself")
        XCTAssertEqual(written[0].record.fields.dictionary, fields)
        let read = try provider.readRecords(in: skills)
        XCTAssertEqual(read.map { $0.fields["Body"].map(Self.bytes) }, [Array(value.utf8)])
        XCTAssertEqual(read.map { $0.fields["Key"].map(Self.bytes) }, [Array("core:\u{0}a".utf8)])
        XCTAssertEqual(harness.emulator.records(harness.baseID, table: "Skills")[0]["Body"], .string(value))
    }

    func testTheJSONWriterEscapesEveryControlCharacter() {
        var writer = JSONWriter()
        writer.string("a\u{0}b\u{1}c\u{1F}\u{7F}")
        XCTAssertEqual(String(decoding: writer.finish(), as: UTF8.self), #""a\u0000b\u0001c\u001f\#u{7F}""#)
    }

    private static func bytes(_ value: FieldValue) -> [UInt8] {
        guard case .text(let text) = value else { return [] }
        return Array(text.utf8)
    }
}
