import ReconCore
import XCTest
@testable import YAML

/// A byte that is not UTF-8 is reported at the line and column of the byte itself (the column
/// counts the characters of the line's valid prefix), never as a byte offset at 1:1.
final class YAMLEncodingErrorTests: XCTestCase {
    private func error(_ bytes: [UInt8]) throws -> YAMLError {
        do {
            _ = try YAMLLoader().load(bytes, file: "schema.yaml")
        } catch {
            return error
        }
        throw XCTSkip("unreachable: expected an encoding error")
    }

    func testALatin1ByteIsReportedAtItsOwnLineAndColumn() throws {
        let bytes = Array("tables:\n  - name: A\n    key: K\n  - name: \"Zoë caf".utf8) + [0xE9] + Array(" au lait\"\n".utf8)
        let found = try error(bytes)
        // `  - name: "Zoë caf` is 18 characters (ë is one), so the bad byte is in column 19.
        XCTAssertEqual(found.location, SourceLocation(file: "schema.yaml", line: 4, column: 19))
        XCTAssertTrue(found.message.contains("0xE9"), found.message)
        XCTAssertFalse(found.message.contains("at byte"), found.message)
    }

    func testAStrayByteFarIntoALongFileKeepsItsLine() throws {
        var bytes = Array(String(repeating: "key: value\n", count: 3_000).utf8)
        bytes += [0x80] + Array("x: y\n".utf8)
        let found = try error(bytes)
        XCTAssertEqual(found.location.line, 3_001)
        XCTAssertEqual(found.location.column, 1)
        XCTAssertTrue(found.message.contains("0x80"), found.message)
    }

    func testOverlongAndTruncatedSequencesPointAtTheirFirstByte() throws {
        let overlong = try error(Array("a: b\nc: d".utf8) + [0xC0, 0xAF] + Array("\n".utf8))
        XCTAssertEqual(overlong.location, SourceLocation(file: "schema.yaml", line: 2, column: 5))
        let truncated = try error(Array("a: €".utf8) + [0xE2, 0x82])
        XCTAssertEqual(truncated.location, SourceLocation(file: "schema.yaml", line: 1, column: 5))
    }

    func testUTF16WithAByteOrderMarkStillLoads() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "a: b\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let documents = try YAMLLoader().load(bytes, file: "schema.yaml")
        XCTAssertEqual(documents.first?.mapping?.first?.value.scalar, "b")
    }
}
