import Foundation
import XCTest

/// A `Corpus/names/*.txt` family: one name per line with its outcome after a tab. Names are
/// written with escapes (`\u{...}`, `\t`, `\n`, `\0`, `\\`) so every code point is visible in review.
struct NameList {
    struct Entry {
        var name: String
        var outcome: String
        var line: Int
    }

    var entries: [Entry] = []

    init(_ file: String) throws {
        let text = try String(contentsOfFile: "\(CorpusCase.root)/names/\(file)", encoding: .utf8)
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty && !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw CocoaError(.fileReadCorruptFile, userInfo: ["line": index + 1]) }
            entries.append(Entry(name: try NameList.unescape(parts[0]), outcome: String(parts[1]), line: index + 1))
        }
    }

    static func unescape(_ text: Substring) throws -> String {
        var scalars = String.UnicodeScalarView()
        var rest = text.unicodeScalars[...]
        while let scalar = rest.popFirst() {
            guard scalar == "\\", let next = rest.popFirst() else { scalars.append(scalar); continue }
            switch next {
            case "t": scalars.append("\t")
            case "n": scalars.append("\n")
            case "0": scalars.append("\0")
            case "\\": scalars.append("\\")
            case "u":
                guard rest.popFirst() == "{", let close = rest.firstIndex(of: "}"),
                      let code = UInt32(String(String.UnicodeScalarView(rest[..<close])), radix: 16),
                      let value = Unicode.Scalar(code)
                else { throw CocoaError(.fileReadCorruptFile) }
                scalars.append(value)
                rest = rest[rest.index(after: close)...]
            default: throw CocoaError(.fileReadCorruptFile)
            }
        }
        return String(scalars)
    }

    /// A YAML double-quoted scalar holding exactly `name`: printable ASCII as is, the rest as `\U` escapes.
    static func yamlQuoted(_ name: String) -> String {
        var out = "\""
        for scalar in name.unicodeScalars {
            if (0x20...0x7E).contains(scalar.value), scalar != "\"", scalar != "\\" {
                out.unicodeScalars.append(scalar)
            } else {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
            }
        }
        return out + "\""
    }

    /// `name` with every non-printable-ASCII scalar escaped, for failure messages.
    static func shown(_ name: String) -> String {
        String(yamlQuoted(name).dropFirst().dropLast())
    }
}
