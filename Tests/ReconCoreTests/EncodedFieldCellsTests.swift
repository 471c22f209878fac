import ReconCore
import XCTest

/// A carried record's cells stay in the verified bytes until read (`EncodedFieldCells`): the pass at the load must
/// accept exactly what the decode accepts, so a decode later never meets bytes the load let through, and the cells
/// decoded later are the ones an eager read makes.
final class EncodedFieldCellsTests: XCTestCase {
    private let provenance = Provenance(repo: "core", path: "a.md", sourceCommit: String(repeating: "a", count: 40))

    private let objects: [[UInt8]] = [
        #"{}"#, #"{"a":1}"#, #"{ "a" : "x" , "b" : [ "p" , "q" ] }"#, #"{"b":1,"a":2}"#, #"{"a":1,"a":null}"#,
        #"{"a":"say \"hi\"\tcafe\u0301","e\u0301":true,"é":false}"#, #"{"n":-0.5e-3,"m":1e21,"l":[]}"#,
        "{\"a\":\"caf\u{E9}\",\"\u{1F9EA}\":\"\u{1F9EA}\"}",
        // What the decode refuses, and so must the pass.
        #"{"a":[1]}"#, #"{"a":{"b":1}}"#, #"{"a":1e999}"#, #"{"a":"\u12"}"#, #"{"a":tru}"#, #"{"a":"x",}"#,
        #"{"a" 1}"#, #"{"a":1,"#, #"{"a":-}"#, #"{"a":[null]}"#, #"{a:1}"#, #"["a"]"#, #"{"a":"\q"}"#,
    ].map { Array($0.utf8) } + [
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D],  // invalid UTF-8 in a value
        [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D],  // in a name
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0x09, 0x22, 0x7D],  // a raw tab
    ]

    func testThePassAcceptsExactlyWhatTheDecodeReadsAndTheCellsAreTheSame() throws {
        for object in objects {
            let shown = String(decoding: object, as: UTF8.self)
            // Inside a document, as a record's fields are: errors and offsets are the whole file's.
            let bytes = Array(#"{"fields":"#.utf8) + object + Array("}".utf8)
            var eager = JSONCursor(bytes, at: 10)
            let decoded = try? eager.fieldCells()
            var passing = JSONCursor(bytes, at: 10)
            let range = try? passing.passFieldCells()
            XCTAssertEqual(range != nil, decoded != nil, shown)
            guard let range, let decoded else { continue }
            XCTAssertEqual(range, 10..<(10 + object.count), shown)
            XCTAssertEqual(passing.offset, eager.offset, shown)
            let cells = EncodedFieldCells(source: VerifiedBytes(bytes), range: range).cells
            XCTAssertEqual(cells, decoded, shown)
            XCTAssertTrue(zip(cells.keys, decoded.keys).allSatisfy { $0.hasSameUTF8(as: $1) }, "names keep their bytes: \(shown)")
        }
    }

    func testARecordOfEncodedCellsEqualsAndHashesAsOneOfTheSameValues() throws {
        let bytes = Array(#"{"Name":"x","Tags":["a","b"]}"#.utf8)
        let fields: FieldCells = ["Name": .text("x"), "Tags": .list(["a", "b"])]
        let hash = FieldValue.contentHash(fields)
        let encoded = DesiredRecord(table: "T", key: "core:a.md", encodedFields: EncodedFieldCells(source: VerifiedBytes(bytes), range: 0..<bytes.count),
                                    provenance: provenance, contentHash: hash)
        let decoded = DesiredRecord(table: "T", key: "core:a.md", normalizedFields: fields, provenance: provenance, contentHash: hash)
        XCTAssertTrue(encoded.fieldsAreEncoded)
        XCTAssertEqual(encoded, decoded)
        XCTAssertEqual(Set([encoded, decoded]).count, 1)
        XCTAssertEqual(encoded.fields, fields)
        var edited = encoded
        edited.fields["Name"] = .text("y")
        XCTAssertFalse(edited.fieldsAreEncoded, "an assignment replaces the bytes")
        XCTAssertEqual(edited.fields, ["Name": .text("y"), "Tags": .list(["a", "b"])])
        XCTAssertNotEqual(edited, encoded)
        XCTAssertEqual(encoded.fields, fields, "the copy kept its own cells")
        let other = DesiredRecord(table: "T", key: "core:a.md", encodedFields: EncodedFieldCells(source: VerifiedBytes(Array(#"{"Name":"z"}"#.utf8)), range: 0..<12),
                                  provenance: provenance, contentHash: hash)
        XCTAssertNotEqual(other, encoded, "equal hashes, other cells: compared by value")
    }

    /// A writer that reads each record once (`RecordCoding.write`) decodes cells without keeping them; `fields` keeps them.
    func testTransientCellsAreDecodedButNotKept() {
        let bytes = Array(#"{"Name":"x","Tags":["a","b"]}"#.utf8)
        let encoded = EncodedFieldCells(source: VerifiedBytes(bytes), range: 0..<bytes.count)
        let record = DesiredRecord(table: "T", key: "core:a.md", encodedFields: encoded, provenance: provenance, contentHash: "h")
        XCTAssertEqual(record.transientFields, ["Name": .text("x"), "Tags": .list(["a", "b"])])
        XCTAssertFalse(encoded.isDecoded)
        XCTAssertEqual(record.fields, record.transientFields)
        XCTAssertTrue(encoded.isDecoded)
        XCTAssertEqual(record.transientFields, record.fields, "a kept decode is answered as it is")
    }
}
