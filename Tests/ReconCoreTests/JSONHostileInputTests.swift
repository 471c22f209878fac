import ReconCore
import XCTest

/// Input that once trapped or was silently altered: each must be refused with a location.
final class JSONHostileInputTests: XCTestCase {
    private func assertRefused(_ bytes: [UInt8], _ fragment: String, line: Int = 1, column: Int? = nil,
                               file: StaticString = #filePath, sourceLine: UInt = #line) {
        do {
            let value = try JSONParser.parse(bytes)
            XCTFail("accepted \(bytes): \(value)", file: file, line: sourceLine)
        } catch {
            XCTAssertTrue(error.message.contains(fragment), "\(error)", file: file, line: sourceLine)
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: sourceLine)
            if let column { XCTAssertEqual(error.column, column, "\(error)", file: file, line: sourceLine) }
        }
    }

    private func assertRefused(_ text: String, _ fragment: String, line: Int = 1, column: Int? = nil,
                               file: StaticString = #filePath, sourceLine: UInt = #line) {
        assertRefused(Array(text.utf8), fragment, line: line, column: column, file: file, sourceLine: sourceLine)
    }

    func testLoneAndMisorderedSurrogatesAreRefusedNotTrapped() {
        assertRefused(#""x\uD800\u0041y""#, "surrogate", column: 3)
        assertRefused(#""x\uD800""#, "surrogate", column: 3)
        assertRefused(#""\uD800\uD800""#, "surrogate", column: 2)
        assertRefused(#""\uDC00\uD800""#, "surrogate", column: 2)
        assertRefused(#""\uDFFF""#, "surrogate", column: 2)
        assertRefused(#""\uD83D\n""#, "surrogate", column: 2)
        assertRefused(#""\uD83D\uDE0""#, "\\u escape")
        XCTAssertEqual(try JSONParser.parse(#""\uD83D\uDE00""#), "😀")
    }

    func testInvalidUTF8IsRefusedNotReplaced() {
        let q = UInt8(ascii: "\"")
        assertRefused([q, 0xC0, 0xAF, q], "invalid UTF-8", column: 2)          // overlong '/'
        assertRefused([q, 0xE0, 0x80, 0xAF, q], "invalid UTF-8", column: 2)    // overlong, three bytes
        assertRefused([q, 0xED, 0xA0, 0x80, q], "invalid UTF-8", column: 2)    // an encoded surrogate
        assertRefused([q, 0xF4, 0x90, 0x80, 0x80, q], "invalid UTF-8")         // beyond U+10FFFF
        assertRefused([q, 0x61, 0xFF, q], "invalid UTF-8", column: 3)
        assertRefused([q, 0x61, 0x80, q], "invalid UTF-8", column: 3)          // a lone continuation byte
        assertRefused([q, 0xE2, 0x82, q], "invalid UTF-8")                     // cut short
        assertRefused([q, 0x5C, 0x6E, 0xC3, q], "invalid UTF-8")               // after an escape
        assertRefused([q, 0x6B, 0xFE, q, 0x3A], "invalid UTF-8")
        XCTAssertEqual(try JSONParser.parse([q, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, q]), "é😀")
    }

    func testNumbersThatOverflowAreRefused() {
        assertRefused("1e400", "out of range")
        assertRefused("[-1e999]", "out of range", column: 2)
        assertRefused(String(repeating: "9", count: 400), "out of range")
        XCTAssertEqual(try JSONParser.parse("1e-400"), .number(0), "underflow is a representable zero")
        XCTAssertEqual(try JSONParser.parse("1.7976931348623157e308"), .number(.greatestFiniteMagnitude))
    }

    func testLeadingZerosAreRefused() {
        assertRefused("01", "leading zero")
        assertRefused("[-00.5]", "leading zero", column: 2)
        XCTAssertEqual(try JSONParser.parse("[0, -0.5, 0e1]"), [0, -0.5, 0])
    }

    func testControlBytesInMessagesAreShownEscaped() {
        assertRefused([0x00], "U+0000")
        assertRefused([UInt8(ascii: "["), 0x1B], "U+001B")
    }

    func testTruncatedDocumentsAreRefusedAtTheEnd() {
        let whole = #"{"a": [1, "b\u00e9", {"c": true}]}"#
        let bytes = Array(whole.utf8)
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try JSONParser.parse(Array(bytes[..<length])), "prefix of \(length) bytes")
        }
        XCTAssertNoThrow(try JSONParser.parse(bytes))
    }

    func testKeysInMessagesHaveControlCharactersEscaped() {
        assertRefused(#"{"\u001b[2Jx\u0085" 1}"#, #"after key "\u{1B}[2Jx\u{85}""#)
    }
}
