@testable import ReconCore
import XCTest

/// The string writer passes over eight bytes at a time (`JSONWriter.needsEscape`): checked against a byte-by-byte
/// escape for every byte value at every position of a word and across word boundaries, and for Unicode text.
final class JSONStringScanTests: XCTestCase {
    /// The escape one byte at a time, as the writer did before the word scan.
    private func reference(_ text: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for byte in text.utf8 {
            switch byte {
            case 0x22, 0x5C: out += [0x5C, byte]
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0..<0x20: out += Array("\\u00".utf8) + Array(String(format: "%02x", byte).utf8)
            default: out.append(byte)
            }
        }
        return out + [0x22]
    }

    private func written(_ text: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.string(text)
        return writer.finish()
    }

    func testEveryByteAtEveryPositionOfAWordIsFound() {
        for filler: UInt8 in [0x61, 0xC3, 0xFF, 0x7F, 0x21, 0x5D, 0x23, 0x20] {
            for position in 0..<8 {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: filler, count: 8)
                    bytes[position] = UInt8(value)
                    let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
                    let expected = bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
                    XCTAssertEqual(JSONWriter.needsEscape(word), expected, "byte \(value) at \(position) among \(filler)")
                }
            }
        }
    }

    func testRandomWordsAgreeWithAByteScan() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            let word = generator.next() as UInt64
            let expected = (0..<8).contains { let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))); return byte < 0x20 || byte == 0x22 || byte == 0x5C }
            XCTAssertEqual(JSONWriter.needsEscape(word), expected, String(word, radix: 16))
        }
    }

    func testStringsOfEveryLengthWithEscapesAnywhereMatchTheByteByByteEscape() throws {
        let specials = ["\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "\u{00}", "é", "漢", "🦊", "\u{7F}", " "]
        for length in 0..<26 {
            let plain = String(repeating: "a", count: length)
            XCTAssertEqual(written(plain), reference(plain))
            for special in specials {
                for at in 0...length {
                    var characters = Array(plain)
                    characters.insert(contentsOf: special, at: at)
                    let text = String(characters)
                    XCTAssertEqual(written(text), reference(text), "\(special.debugDescription) at \(at) of \(length)")
                    XCTAssertEqual(try JSONParser.parse(written(text)), .string(text))
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab\"\\\n\t\u{02}é漢🦊 ")
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0..<40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            XCTAssertEqual(written(text), reference(text), text.debugDescription)
        }
    }
}
