import Foundation
import ReconCore

/// The formulas Recon sends to `filterByFormula`, parsed as Airtable would: `OR(term, …)` or one term, each
/// `RECORD_ID()='rec…'`, `{Field name}='text'` or `IS_AFTER(LAST_MODIFIED_TIME()|CREATED_TIME(), 'ISO time')`
/// (strings take backslash escapes, `\n` `\t` `\r` as Airtable reads them). Anything else is refused, so a
/// client relying on an unsupported formula fails loudly instead of reading everything.
public struct EmulatorFormula: Equatable {
    public enum Term: Hashable {
        case recordID(String)
        case field(name: String, equals: String)
        /// `IS_AFTER(LAST_MODIFIED_TIME(), '…')`: false for a record never modified since creation, as the
        /// function is empty then.
        case modifiedAfter(Date)
        case createdAfter(Date)
    }

    public let terms: [Term]

    public init?(_ formula: String) {
        var rest = Substring(formula)
        let wrapped = rest.hasPrefix("OR(") && rest.hasSuffix(")")
        if wrapped { rest = rest.dropFirst(3).dropLast() }
        var terms: [Term] = []
        while true {
            rest = rest.drop { $0 == " " }
            if rest.hasPrefix("RECORD_ID()=") {
                rest = rest.dropFirst(12)
                guard let value = Self.string(&rest), value.hasPrefix("rec") else { return nil }
                terms.append(.recordID(value))
            } else if rest.hasPrefix("IS_AFTER(") {
                rest = rest.dropFirst(9)
                let modified = rest.hasPrefix("LAST_MODIFIED_TIME()")
                guard modified || rest.hasPrefix("CREATED_TIME()") else { return nil }
                rest = rest.dropFirst(modified ? 20 : 14).drop { $0 == " " }
                guard rest.hasPrefix(",") else { return nil }
                rest = rest.dropFirst().drop { $0 == " " }
                guard let text = Self.string(&rest), let date = Self.time(text), rest.hasPrefix(")") else { return nil }
                rest = rest.dropFirst()
                terms.append(modified ? .modifiedAfter(date) : .createdAfter(date))
            } else if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") {
                let name = String(rest[rest.index(after: rest.startIndex)..<close])
                rest = rest[rest.index(after: close)...]
                guard rest.hasPrefix("=") else { return nil }
                rest = rest.dropFirst()
                guard let value = Self.string(&rest) else { return nil }
                terms.append(.field(name: name, equals: value))
            } else {
                return nil
            }
            rest = rest.drop { $0 == " " }
            if rest.isEmpty { break }
            guard wrapped, rest.hasPrefix(",") else { return nil }
            rest = rest.dropFirst()
        }
        self.terms = terms
    }

    /// A quoted string literal at the start of `text`, consumed. Read over Unicode scalars, as a quote beside a
    /// combining or prepended mark is one Character but still ends (or opens) the literal.
    private static func string(_ text: inout Substring) -> String? {
        let scalars = text.unicodeScalars
        guard let quote = scalars.first, quote == "'" || quote == "\"" else { return nil }
        var value = String.UnicodeScalarView()
        var index = scalars.index(after: scalars.startIndex)
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "\\" {
                index = scalars.index(after: index)
                guard index < scalars.endIndex else { return nil }
                switch scalars[index] {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                default: value.append(scalars[index])
                }
            } else if scalar == quote {
                text = Substring(scalars[scalars.index(after: index)...])
                return String(value)
            } else {
                value.append(scalar)
            }
            index = scalars.index(after: index)
        }
        return nil
    }

    /// An ISO 8601 time, with or without fractional seconds.
    private static func time(_ text: String) -> Date? {
        fractional.date(from: text) ?? whole.date(from: text)
    }

    // Made once: a formatter per record made a filter over 10,000 records take seconds. Used under the emulator's lock.
    nonisolated(unsafe) private static let fractional: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    nonisolated(unsafe) private static let whole: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }()

    func matches(_ record: EmulatedRecord, in table: EmulatedTable) -> Bool {
        terms.contains { term in
            switch term {
            case .modifiedAfter(let date): return record.modifiedTime.map { $0 > date } ?? false
            case .createdAfter(let date): return Self.time(record.createdTime).map { $0 > date } ?? false
            case .recordID(let id): return record.id == id
            case .field(let name, let text):
                guard let field = table.field(name) else { return false }
                return record.cells[field.id]?.stringValue == text
            }
        }
    }
}
