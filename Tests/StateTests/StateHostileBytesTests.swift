import ReconCore
@testable import State
import XCTest

/// The state reader's own cursor must refuse what the tree parser refuses, with a location.
final class StateHostileBytesTests: XCTestCase {
    private func replacing(_ needle: String, with replacement: [UInt8]) -> [UInt8] {
        let bytes = StateCodec.encode(StateSamples.populated(records: 1))
        let target = Array(needle.utf8)
        let at = (0...(bytes.count - target.count)).first { Array(bytes[$0..<($0 + target.count)]) == target }!
        return Array(bytes[..<at]) + replacement + Array(bytes[(at + target.count)...])
    }

    private func assertSyntaxError(_ bytes: [UInt8], _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            let state = try StateCodec.decode(bytes)
            XCTFail("decoded \(state.records)", file: file, line: line)
        } catch {
            guard case .syntax(let at, let column, let message) = error else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertTrue(message.contains(fragment), message, file: file, line: line)
            XCTAssertGreaterThan(at, 1, file: file, line: line)
            XCTAssertGreaterThan(column, 1, file: file, line: line)
        }
    }

    func testInvalidUTF8InAStringIsRefusedNotReplaced() {
        assertSyntaxError(replacing("\"Skills\"", with: Array("\"Sk".utf8) + [0xC0, 0xAF] + Array("lls\"".utf8)), "invalid UTF-8")
        assertSyntaxError(replacing("\"Skills\"", with: Array("\"Sk\\n".utf8) + [0xED, 0xA0, 0x80] + Array("\"".utf8)), "invalid UTF-8")
    }

    func testLoneSurrogateEscapeIsRefusedWithTheReason() {
        assertSyntaxError(replacing("\"Skills\"", with: Array(#""x\uD800\u0041y""#.utf8)), "surrogate")
    }

    func testOverflowingNumberIsRefused() {
        assertSyntaxError(replacing("0.25", with: Array("1e999".utf8)), "out of range")
    }
}
