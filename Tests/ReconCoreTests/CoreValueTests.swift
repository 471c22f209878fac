import Foundation
import ReconCore
import XCTest

final class CoreValueTests: XCTestCase {
    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var incremental = SHA256()
        incremental.update("a")
        incremental.update([0x62, 0x63])
        let digest = incremental.hexDigest()
        XCTAssertEqual(digest, SHA256.hex("abc"))
    }

    func testEmptyFalseAndAbsentAreOneValue() {
        XCTAssertNil(FieldValue.text("").normalized)
        XCTAssertNil(FieldValue.bool(false).normalized)
        XCTAssertNil(FieldValue.list([]).normalized)
        XCTAssertEqual(FieldValue.number(0).normalized, .number(0), "zero is a value")
        XCTAssertEqual(FieldValue.normalize(["a": .text(""), "b": .bool(true)]), ["b": .bool(true)])
        XCTAssertEqual(FieldValue.contentHash(["a": .text(""), "b": .bool(false)]), FieldValue.contentHash([:]))
    }

    func testContentHashIsOrderIndependentAndTypeSensitive() {
        let a = FieldValue.contentHash(["x": .text("1"), "y": .list(["a", "b"])])
        let b = FieldValue.contentHash(["y": .list(["a", "b"]), "x": .text("1")])
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(FieldValue.contentHash(["x": .text("1")]), FieldValue.contentHash(["x": .number(1)]))
        XCTAssertNotEqual(FieldValue.contentHash(["x": .list(["a", "b"])]), FieldValue.contentHash(["x": .list(["b", "a"])]))
    }

    func testFieldValueJSONRoundTrip() {
        for value in [FieldValue.text("a"), .number(2.5), .bool(true), .list(["x", "y"])] {
            XCTAssertEqual(FieldValue(json: value.json), value)
        }
        XCTAssertNil(FieldValue(json: .null))
    }

    func testDesiredRecordNormalizesAndHashes() {
        let record = DesiredRecord(table: "T", key: "r:a", fields: ["A": .text(""), "B": .text("b")],
                                   provenance: Provenance(repo: "r", path: "a", sourceCommit: "c"))
        XCTAssertEqual(record.fields, ["B": .text("b")])
        XCTAssertEqual(record.contentHash, FieldValue.contentHash(["B": .text("b")]))
    }

    func testSuggestions() {
        XCTAssertEqual(Suggestion.closest(to: "feilds", in: ["fields", "name"]), "fields")
        XCTAssertEqual(Suggestion.closest(to: "NAME", in: ["name"]), "name")
        XCTAssertNil(Suggestion.closest(to: "zzzzzz", in: ["fields", "name"]))
        XCTAssertEqual(Suggestion.didYouMean("valdate", in: ["validate", "plan"]), "did you mean 'validate'?")
        XCTAssertEqual(Suggestion.hint("valdate", among: ["validate", "plan"], known: "commands: validate, plan"),
                       "did you mean 'validate'? (commands: validate, plan)")
        XCTAssertEqual(Suggestion.hint("zzz", among: ["validate"], known: "commands: validate"), "commands: validate")
    }

    /// The edit distance is never computed for words too far apart in length to be a typo: a
    /// megabyte word against twelve type names took over 20 s (debug build) and found nothing.
    func testAHugeWordIsComparedByLengthFirst() {
        let huge = String(repeating: "x", count: 5_000_000)
        let types = ["singleLineText", "multilineText", "url", "email", "phoneNumber", "number", "checkbox", "date",
                     "dateTime", "singleSelect", "multipleSelects", "multipleRecordLinks"]
        let start = Date()
        XCTAssertNil(Suggestion.closest(to: huge, in: types))
        XCTAssertNil(Suggestion.closest(to: "number", in: [huge]))
        // Not a benchmark: well under 1 s when fixed, over 20 s (debug) with the full tables.
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "a length check, not 5,000,000 × 14 tables")
        XCTAssertEqual(Suggestion.closest(to: "singleLineTxt", in: ["singleLineText", "multilineText"]), "singleLineText")
        XCTAssertEqual(Suggestion.closest(to: "ab", in: ["abcd"]), "abcd", "within 2 edits, whatever the lengths")
        XCTAssertNil(Suggestion.closest(to: "ab", in: ["abcde"]))
    }

    func testDiagnosticsSortByLocationThenSeverity() {
        let a = Diagnostic.error(at: SourceLocation(file: "a.yaml", line: 2, column: 1), "x")
        let b = Diagnostic.warning(at: SourceLocation(file: "a.yaml", line: 1, column: 5), "y")
        let c = Diagnostic.error(at: SourceLocation(file: "b.yaml", line: 1, column: 1), "z")
        let d = Diagnostic.error(at: nil, "no place")
        XCTAssertEqual(DiagnosticsError([d, c, a, b]).diagnostics, [b, a, c, d])
        XCTAssertEqual(a.description, "a.yaml:2:1: error: x")
        XCTAssertEqual(Diagnostic.error(at: nil, "m", hint: "h").description, "error: m\n  h")
    }
}

/// The one duration syntax of flags, manifest keys and environment variables.
final class DurationTextTests: XCTestCase {
    func testNumbersWithAnOptionalUnit() {
        XCTAssertEqual(DurationText.seconds("90"), 90)
        XCTAssertEqual(DurationText.seconds("1.5s"), 1.5)
        XCTAssertEqual(DurationText.seconds("30s"), 30)
        XCTAssertEqual(DurationText.seconds("2m"), 120)
        XCTAssertEqual(DurationText.seconds("1h"), 3600)
        XCTAssertEqual(DurationText.seconds("0"), 0)
        for bad in ["", "s", "m", "-1", "-1s", "inf", "nan", "infs", "5 m", "5d", "2 minutes", "+3"] {
            XCTAssertNil(DurationText.seconds(bad), bad)
        }
    }
}
