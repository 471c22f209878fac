import ReconCore

/// Names (tables, fields, repos) and closed-set words (types, `as`, built-ins) are at most 255
/// bytes. Checked as they are read, before anything compares, suggests or echoes them: a 5 MB
/// field type once spent seconds in the did-you-mean and came back whole in the error.
enum NameLimit {
    static let bytes = 255

    /// False, with an error at the value's place that does not repeat it, when `text` is too long.
    static func check(_ text: Located<String>, what: String, sink: DiagnosticSink) -> Bool {
        let count = text.value.utf8.count
        guard count > bytes else { return true }
        sink.error(text.location, "\(what) is \(count) bytes long; at most \(bytes) are allowed")
        return false
    }

    /// `text` for a message: as written when short, else its start and its size.
    static func shown(_ text: String) -> String {
        guard text.utf8.count > 64 else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "… (\(text.utf8.count) bytes)"
    }
}

extension MappingReader {
    /// A name: non-empty text of at most `NameLimit.bytes`.
    func name(_ key: String, what: String, required: Bool = false) -> Located<String>? {
        guard let text = string(key, required: required) else { return nil }
        return NameLimit.check(text, what: "\(what) in \(context)", sink: sink) ? text : nil
    }
}
