import ReconCore
import YAML

/// Where one field's value comes from when a file becomes a record.
public struct FieldMapping: Sendable {
    public enum Builtin: String, Sendable, CaseIterable {
        /// The entity's stable key, `repo:path`.
        case key
        case repo
        /// The entity root's path in the repo.
        case path
        /// The matched file's path in the repo.
        case file
        /// The name of the entity root's directory.
        case dir
        /// The names of every directory from the repo root down to the entity root.
        case dirs
        /// The commit that last changed the matched file.
        case commit
        /// From the Markdown body: first heading, first paragraph, word count, relative links.
        case title, summary, words, links

        /// True for the built-ins computed from a Markdown body.
        public var readsMarkdownBody: Bool {
            switch self {
            case .title, .summary, .words, .links: true
            default: false
            }
        }
    }

    public enum Source: Sendable {
        case keyPath([String])
        case builtin(Builtin)
        /// A value written in the manifest; checked against the field's type by the validator.
        case constant(Node)
        case link(LinkSource)
    }

    public var field: Located<String>
    public var source: Source

    public init(field: Located<String>, source: Source) {
        self.field = field
        self.source = source
    }
}

/// A link to another table's entity, resolved to that entity's key.
public struct LinkSource: Sendable {
    public enum Resolution: Sendable, Equatable {
        /// The nearest entity of the linked table whose root directory holds this file.
        case ancestor
        /// Key(s) read from the source at this key path; `path` or `repo:path` of the linked entity.
        case keyPath([String])
        /// One fixed key.
        case key(String)
    }

    public var table: Located<String>
    public var by: Resolution
}

extension FieldMapping {
    static let mappingKeys = ["from", "const", "link", "by", "key"]

    static func decode(field: Located<String>, _ node: Node, context: String, sink: DiagnosticSink) -> FieldMapping? {
        let what = "field '\(field.value)' in \(context)"
        if let text = node.scalar, !node.isNull {
            guard text.hasPrefix("$") else {
                let path = KeyPath.parse(Located(text, at: node.location), what: what, sink: sink)
                return path.map { FieldMapping(field: field, source: .keyPath($0)) }
            }
            let name = String(text.dropFirst())
            guard let builtin = Builtin(rawValue: name) else {
                guard NameLimit.check(Located(text, at: node.location), what: "the built-in for \(what)", sink: sink) else { return nil }
                let names = Builtin.allCases.map { "$" + $0.rawValue }
                let hint = Suggestion.hint(text, among: names, known: "built-ins: " + names.joined(separator: " "))
                sink.error(node.location, "unknown built-in '\(text)' for \(what)", hint: hint)
                return nil
            }
            return FieldMapping(field: field, source: .builtin(builtin))
        }
        guard let reader = MappingReader(node, context: what, sink: sink) else { return nil }
        reader.rejectUnknownKeys(allowed: mappingKeys)
        if let constant = reader.value("const") {
            for other in ["from", "link", "by", "key"] where reader.contains(other) {
                sink.error(reader.value(other)?.location, "'const' cannot be combined with '\(other)' in \(what)")
            }
            return FieldMapping(field: field, source: .constant(constant))
        }
        if let table = reader.name("link", what: "the linked table name") {
            let by = reader.string("by")
            let from = reader.string("from")
            let key = reader.string("key")
            let resolution: LinkSource.Resolution
            switch (by?.value, from, key) {
            case ("ancestor", nil, nil), (nil, nil, nil): resolution = .ancestor
            case (nil, let from?, nil), ("key", let from?, nil):
                guard let path = KeyPath.parse(from, what: what, sink: sink) else { return nil }
                resolution = .keyPath(path)
            case (nil, nil, let key?), ("key", nil, let key?): resolution = .key(key.value)
            case ("key", nil, nil):
                sink.error(by?.location, "'by: key' in \(what) needs 'from' (a key path) or 'key' (a fixed key)")
                return nil
            default:
                if let by, by.value != "ancestor", by.value != "key" {
                    sink.error(by.location, "invalid value '\(NameLimit.shown(by.value))' for 'by' in \(what)", hint: "expected one of: ancestor, key")
                } else {
                    sink.error(node.location, "\(what) gives more than one of 'by: ancestor', 'from' and 'key'")
                }
                return nil
            }
            return FieldMapping(field: field, source: .link(LinkSource(table: table, by: resolution)))
        }
        if let from = reader.string("from") {
            return KeyPath.parse(from, what: what, sink: sink).map { FieldMapping(field: field, source: .keyPath($0)) }
        }
        sink.error(node.location, "\(what) needs a key path, a $built-in, {const: value} or {link: Table}")
        return nil
    }
}
