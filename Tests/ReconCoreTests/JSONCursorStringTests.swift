@testable import ReconCore
import XCTest

/// The cursor reads a string as the tree parser does, on its one-pass ASCII path and off it: the same text, or a refusal.
final class JSONCursorStringTests: XCTestCase {
    private let literals: [[UInt8]] = [
        Array(#""""#.utf8),
        Array(#""plain ascii, with spaces / and : and {}""#.utf8),
        Array(#""a\"quote""#.utf8),
        Array(#""tab\tand\u00e9""#.utf8),
        Array("\"caf\u{E9} \u{1F600}\"".utf8),
        Array("\"ascii then \u{E9}\"".utf8),
        [0x22, 0x61, 0x0A, 0x62, 0x22],          // a raw newline
        [0x22, 0x61, 0xFF, 0x22],                // not UTF-8
        [0x22, 0x61, 0xC3, 0x22],                // a sequence cut short
        Array(#""unterminated"#.utf8),
        [0x22, 0x61, 0x7F, 0x22],                // DEL is printable enough for JSON
    ]

    func testEveryLiteralReadsAsTheTreeParserReadsIt() {
        for literal in literals {
            let parsed = try? JSONParser.parse(literal).stringValue
            var cursor = JSONCursor(literal)
            let read = try? cursor.string()
            XCTAssertEqual(read, parsed, "\(literal)")
            if read != nil { XCTAssertEqual(cursor.offset, literal.count, "the cursor stops after the closing quote: \(literal)") }
        }
        XCTAssertNotNil(try? JSONParser.parse(literals[1]).stringValue, "the plain case is one the parser takes")
        XCTAssertNil(try? JSONParser.parse(literals[7]).stringValue, "and a refusal is one it refuses")
    }

    func testKeysOnThePlainPathAreReadWithWhatFollows() throws {
        var cursor = JSONCursor(Array(#"{"content_hash":"ab12","caf\u00e9":1}"#.utf8))
        try cursor.beginObject()
        XCTAssertEqual(try cursor.nextKey(), "content_hash")
        XCTAssertEqual(try cursor.string(), "ab12")
        XCTAssertEqual(try cursor.nextKey(), "caf\u{E9}")
        XCTAssertEqual(try cursor.int(), 1)
        XCTAssertNil(try cursor.nextKey())
        try cursor.finish()
    }
}
