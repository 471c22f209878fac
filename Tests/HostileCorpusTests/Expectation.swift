import ReconCore
import XCTest

/// What a corpus case must produce, read from its `.expect` sidecar (first line):
/// `ok [detail]`, `value <canonical JSON>`, `error <text>` or `error-at LINE:COL <text>`.
enum Expectation: CustomStringConvertible {
    /// Accepted; the detail (category-specific, may be empty) is checked by the category's test.
    case ok(String)
    /// Accepted, and the value's compact canonical JSON is exactly this.
    case value(String)
    /// Refused with a message containing the text.
    case error(String)
    /// Refused at this line and column with a message containing the text.
    case errorAt(line: Int, column: Int, String)

    init(_ line: Substring) throws {
        let (word, rest) = Expectation.split(line)
        switch word {
        case "ok": self = .ok(rest)
        case "value": self = .value(rest)
        case "error": self = .error(rest)
        case "error-at":
            let (position, text) = Expectation.split(Substring(rest))
            let parts = position.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2 else { throw ReconError("bad position '\(position)'") }
            self = .errorAt(line: parts[0], column: parts[1], text)
        default: throw ReconError("unknown expectation '\(word)'")
        }
    }

    private static func split(_ line: Substring) -> (String, String) {
        let word = line.prefix { $0 != " " }
        return (String(word), String(line.dropFirst(word.count).drop { $0 == " " }))
    }

    var description: String {
        switch self {
        case .ok(let detail): "ok \(detail)"
        case .value(let json): "value \(json)"
        case .error(let text): "error \(text)"
        case .errorAt(let line, let column, let text): "error-at \(line):\(column) \(text)"
        }
    }

    /// Whether a refusal message has the expected text (to pick one of several diagnostics).
    func matches(_ message: String) -> Bool {
        switch self {
        case .ok, .value: false
        case .error(let text), .errorAt(_, _, let text): message.contains(text)
        }
    }

    /// Checks a refusal (message, and line/column when known) against this expectation.
    func checkRefusal(_ message: String, line: Int?, column: Int?, case name: String,
                      file: StaticString = #filePath, sourceLine: UInt = #line) {
        switch self {
        case .ok, .value:
            XCTFail("\(name): expected \(self), refused: \(message)", file: file, line: sourceLine)
        case .error(let text):
            XCTAssertTrue(message.contains(text), "\(name): expected '\(text)' in: \(message)", file: file, line: sourceLine)
        case .errorAt(let expectedLine, let expectedColumn, let text):
            XCTAssertTrue(message.contains(text), "\(name): expected '\(text)' in: \(message) (at \(line ?? 0):\(column ?? 0))",
                          file: file, line: sourceLine)
            XCTAssertEqual(line.map { "\($0):\(column ?? 0)" }, "\(expectedLine):\(expectedColumn)",
                           "\(name): wrong location for: \(message) (at \(line ?? 0):\(column ?? 0))", file: file, line: sourceLine)
        }
    }
}
