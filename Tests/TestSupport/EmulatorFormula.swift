import ReconCore

/// The formulas Recon sends to `filterByFormula`, parsed as Airtable would: `OR(term, …)` or one term, each
/// `RECORD_ID()='rec…'` or `{Field name}='text'` (strings take backslash escapes). Anything else is refused,
/// so a client relying on an unsupported formula fails loudly instead of reading everything.
struct EmulatorFormula {
    enum Term: Equatable {
        case recordID(String)
        case field(name: String, equals: String)
    }

    let terms: [Term]

    init?(_ formula: String) {
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

    /// A quoted string literal at the start of `text`, consumed.
    private static func string(_ text: inout Substring) -> String? {
        guard let quote = text.first, quote == "'" || quote == "\"" else { return nil }
        var value = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if character == "\\" {
                index = text.index(after: index)
                guard index < text.endIndex else { return nil }
                value.append(text[index])
            } else if character == quote {
                text = text[text.index(after: index)...]
                return value
            } else {
                value.append(character)
            }
            index = text.index(after: index)
        }
        return nil
    }

    func matches(_ record: EmulatedRecord, in table: EmulatedTable) -> Bool {
        terms.contains { term in
            switch term {
            case .recordID(let id): return record.id == id
            case .field(let name, let text):
                guard let field = table.field(name) else { return false }
                return record.cells[field.id]?.stringValue == text
            }
        }
    }
}
