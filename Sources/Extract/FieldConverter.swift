import Manifest
import ReconCore
import YAML

/// Converts a source value to the cell value its field's type takes. Text types keep scalars as
/// written (`no`, `0755` and `1.10` stay text); other types check the value and say what was wrong.
struct FieldConverter {
    struct Mismatch: Error {
        var location: SourceLocation
        var message: String
    }

    let field: FieldSpec

    /// Nil for a null or missing value; throws when the value does not fit the type.
    func convert(_ node: Node) throws(Mismatch) -> FieldValue? {
        if node.isNull { return nil }
        switch field.type {
        case .singleLineText, .url, .email, .phoneNumber:
            // A scalar is its own text: no one-item list to join.
            if let text = node.scalar { return .text(text) }
            return .text(try scalars(node).joined(separator: ", "))
        case .multilineText:
            if let text = node.scalar { return .text(text) }
            return .text(try scalars(node).joined(separator: "\n"))
        case .number:
            let text = try single(node)
            guard let number = node.double ?? (node.style != .plain ? Double(text.trimmingSpaces) : nil), number.isFinite else {
                throw mismatch(node, "a number")
            }
            return .number(number)
        case .checkbox:
            if let flag = node.bool { return .bool(flag) }
            switch try single(node).lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw mismatch(node, "true or false")
            }
        case .date:
            let text = try single(node)
            guard FieldConverter.isDate(text) else { throw mismatch(node, "a date (YYYY-MM-DD)") }
            return .text(text)
        case .dateTime:
            let text = try single(node)
            guard text.count > 10, FieldConverter.isDate(String(text.prefix(10))), text.dropFirst(10).first == "T" || text.dropFirst(10).first == " " else {
                throw mismatch(node, "a date and time (ISO 8601, YYYY-MM-DDTHH:MM:SSZ)")
            }
            return .text(text)
        case .singleSelect(let choices):
            let text = try single(node)
            try check(text, in: choices, at: node)
            return .text(text)
        case .multipleSelects(let choices):
            let items = try scalars(node)
            for item in items { try check(item, in: choices, at: node) }
            var seen = Set<String>()
            return .list(items.filter { seen.insert($0).inserted })
        case .multipleRecordLinks:
            return .list(try scalars(node))
        }
    }

    /// A scalar as one item, a list of scalars as its items; a mapping or nested list is an error.
    private func scalars(_ node: Node) throws(Mismatch) -> [String] {
        if let text = node.scalar { return [text] }
        guard let items = node.sequence else { throw mismatch(node, "a value or a list of values") }
        var texts: [String] = []
        for item in items where !item.isNull {
            guard let text = item.scalar else { throw mismatch(item, "a value or a list of values") }
            texts.append(text)
        }
        return texts
    }

    private func single(_ node: Node) throws(Mismatch) -> String {
        guard let text = node.scalar else { throw mismatch(node, "a single value") }
        return text
    }

    /// Select values must be declared choices, unless the field lets Airtable create them (`typecast`).
    private func check(_ value: String, in choices: [String], at node: Node) throws(Mismatch) {
        guard !field.typecast, !choices.contains(value) else { return }
        throw Mismatch(location: node.location,
                       message: "'\(value)' is not a choice of field '\(field.name)' (choices: \(choices.joined(separator: ", ")))")
    }

    private func mismatch(_ node: Node, _ expected: String) -> Mismatch {
        Mismatch(location: node.location,
                 message: "field '\(field.name)' (\(field.type.name.rawValue)) expects \(expected), found \(node.summary)")
    }

    static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        return [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[$0]) }
    }
}
