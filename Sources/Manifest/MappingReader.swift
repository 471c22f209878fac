import ReconCore
import YAML

/// Typed access to one YAML mapping of the manifest, reporting wrong shapes and unknown keys.
///
/// Decoding goes through this instead of untyped dictionaries so every value keeps its location.
struct MappingReader {
    let node: Node
    let context: String
    let sink: DiagnosticSink
    private let pairs: [Node.Pair]

    /// Nil (with an error reported) when the node is not a mapping.
    init?(_ node: Node, context: String, sink: DiagnosticSink) {
        guard let pairs = node.mapping else {
            sink.error(node.location, "expected \(context) to be a mapping, found \(node.summary)")
            return nil
        }
        self.node = node
        self.context = context
        self.sink = sink
        self.pairs = pairs
    }

    var keys: [Located<String>] {
        pairs.compactMap { pair in pair.key.scalar.map { Located($0, at: pair.key.location) } }
    }

    var entries: [(key: Located<String>, value: Node)] {
        pairs.compactMap { pair in pair.key.scalar.map { (Located($0, at: pair.key.location), pair.value) } }
    }

    func value(_ key: String) -> Node? {
        pairs.first { $0.key.scalar == key }?.value
    }

    func contains(_ key: String) -> Bool { value(key) != nil }

    /// Reports every key not in `allowed`, with a did-you-mean when one is close.
    func rejectUnknownKeys(allowed: [String]) {
        for pair in pairs {
            guard let name = pair.key.scalar else {
                sink.error(pair.key.location, "expected a text key in \(context), found \(pair.key.summary)")
                continue
            }
            guard !allowed.contains(name) else { continue }
            guard NameLimit.check(Located(name, at: pair.key.location), what: "a key in \(context)", sink: sink) else { continue }
            let hint = Suggestion.hint(name, among: allowed, known: "expected one of: " + allowed.joined(separator: ", "))
            sink.error(pair.key.location, "unknown key '\(name)' in \(context)", hint: hint)
        }
    }

    func required(_ key: String) -> Node? {
        if let found = value(key), !found.isNull { return found }
        sink.error(node.location, "\(context) is missing the required key '\(key)'")
        return nil
    }

    func string(_ key: String, required: Bool = false) -> Located<String>? {
        guard let found = required ? self.required(key) : value(key), !found.isNull else { return nil }
        return Self.string(found, what: "'\(key)' in \(context)", sink: sink)
    }

    /// Like `string`, but a key written with nothing (`path:`, `path: ~`) is an error at the key,
    /// for keys where an empty value would otherwise read as "not given".
    func nonNullString(_ key: String) -> Located<String>? {
        if let pair = pairs.first(where: { $0.key.scalar == key }), pair.value.isNull {
            sink.error(pair.key.location, "'\(key)' in \(context) is empty", hint: "give a value, or remove the key")
            return nil
        }
        return string(key)
    }

    /// A non-empty scalar as written; the text of `no`, `0755` or `1e3` stays as typed.
    static func string(_ node: Node, what: String, sink: DiagnosticSink) -> Located<String>? {
        guard let text = node.scalar else {
            sink.error(node.location, "expected text for \(what), found \(node.summary)")
            return nil
        }
        guard !text.isEmpty else {
            sink.error(node.location, "expected text for \(what), found an empty value")
            return nil
        }
        return Located(text, at: node.location)
    }

    func bool(_ key: String) -> Located<Bool>? {
        guard let found = value(key), !found.isNull else { return nil }
        guard let flag = found.bool else {
            sink.error(found.location, "expected true or false for '\(key)' in \(context), found \(found.summary)")
            return nil
        }
        return Located(flag, at: found.location)
    }

    func int(_ key: String, minimum: Int) -> Located<Int>? {
        guard let found = value(key), !found.isNull else { return nil }
        guard let number = found.int else {
            sink.error(found.location, "expected a whole number for '\(key)' in \(context), found \(found.summary)")
            return nil
        }
        guard number >= minimum else {
            sink.error(found.location, "expected '\(key)' in \(context) to be at least \(minimum), found \(number)")
            return nil
        }
        return Located(number, at: found.location)
    }

    func number(_ key: String, minimum: Double) -> Located<Double>? {
        guard let found = value(key), !found.isNull else { return nil }
        guard let number = found.double, number.isFinite else {
            sink.error(found.location, "expected a number for '\(key)' in \(context), found \(found.summary)")
            return nil
        }
        guard number >= minimum else {
            sink.error(found.location, "expected '\(key)' in \(context) to be at least \(JSONWriter.format(minimum)), found \(found.scalar ?? "")")
            return nil
        }
        return Located(number, at: found.location)
    }

    /// A duration: a number of seconds, or text in the one syntax of `DurationText` (`90`, `30s`, `2m`).
    func duration(_ key: String, minimum: Double) -> Located<Double>? {
        guard let found = value(key), !found.isNull else { return nil }
        guard let seconds = found.double ?? found.scalar.flatMap(DurationText.seconds), seconds.isFinite else {
            sink.error(found.location, "expected a duration for '\(key)' in \(context), found \(found.summary)",
                       hint: "expected \(DurationText.syntax)")
            return nil
        }
        guard seconds >= minimum else {
            sink.error(found.location, "expected '\(key)' in \(context) to be at least \(JSONWriter.format(minimum)) s, found \(found.scalar ?? "")")
            return nil
        }
        return Located(seconds, at: found.location)
    }

    /// A list of text; a single scalar is accepted as a list of one.
    func strings(_ key: String, required: Bool = false) -> [Located<String>]? {
        guard let found = required ? self.required(key) : value(key), !found.isNull else { return nil }
        if found.scalar != nil {
            return Self.string(found, what: "'\(key)' in \(context)", sink: sink).map { [$0] }
        }
        guard let items = found.sequence else {
            sink.error(found.location, "expected a list of text for '\(key)' in \(context), found \(found.summary)")
            return nil
        }
        return items.compactMap { Self.string($0, what: "an item of '\(key)' in \(context)", sink: sink) }
    }

    /// One of a closed set of words, with a did-you-mean for near misses.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type, required: Bool = false) -> Located<T>?
    where T.RawValue == String {
        guard let text = string(key, required: required) else { return nil }
        if let value = T(rawValue: text.value) { return Located(value, at: text.location) }
        let allowed = T.allCases.map(\.rawValue)
        guard NameLimit.check(text, what: "the value of '\(key)' in \(context)", sink: sink) else { return nil }
        let hint = Suggestion.hint(text.value, among: allowed, known: "expected one of: " + allowed.joined(separator: ", "))
        sink.error(text.location, "invalid value '\(text.value)' for '\(key)' in \(context)", hint: hint)
        return nil
    }

    func list(_ key: String, required: Bool = false) -> [Node]? {
        guard let found = required ? self.required(key) : value(key), !found.isNull else { return nil }
        guard let items = found.sequence else {
            sink.error(found.location, "expected a list for '\(key)' in \(context), found \(found.summary)")
            return nil
        }
        return items
    }

    func mapping(_ key: String, context inner: String, required: Bool = false) -> MappingReader? {
        guard let found = required ? self.required(key) : value(key), !found.isNull else { return nil }
        return MappingReader(found, context: inner, sink: sink)
    }
}
