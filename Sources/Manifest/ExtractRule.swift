import ReconCore
import YAML

/// Which files of a repo become records of a table, and how their contents map to fields.
public struct ExtractRule: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case frontmatter, json, yaml, markdown
    }

    public enum ErrorPolicy: String, Sendable, CaseIterable {
        /// A file that cannot be read fails the run.
        case fail
        /// A file that cannot be read is skipped with a warning.
        case skip
    }

    public var table: Located<String>
    /// Glob patterns relative to the repo root (`*`, `?`, `**`, `[...]`).
    public var files: [String]
    public var exclude: [String]
    public var format: Format
    /// The directory the entity stands for, relative to the matched file's folder (`.` for that folder,
    /// `..` for its parent). Nil: the entity is the file itself, keyed by its path.
    public var root: String?
    /// A key path to a list: each item becomes its own entity, keyed `repo:path#n`.
    public var each: [String]?
    public var fields: [FieldMapping]
    public var onError: ErrorPolicy
    public var location: SourceLocation

    public init(table: Located<String>, files: [String], exclude: [String] = [], format: Format, root: String? = nil,
                each: [String]? = nil, fields: [FieldMapping], onError: ErrorPolicy = .fail, at location: SourceLocation) {
        self.table = table
        self.files = files
        self.exclude = exclude
        self.format = format
        self.root = root
        self.each = each
        self.fields = fields
        self.onError = onError
        self.location = location
    }
}

extension ExtractRule {
    static let keys = ["table", "files", "exclude", "as", "root", "each", "fields", "on_error"]

    static func decode(_ node: Node, repo: String, sink: DiagnosticSink) -> ExtractRule? {
        guard let probe = MappingReader(node, context: "an extract rule of repo '\(repo)'", sink: sink) else { return nil }
        let table = probe.name("table", what: "the table name", required: true)
        let context = table.map { "the '\($0.value)' rule of repo '\(repo)'" } ?? "an extract rule of repo '\(repo)'"
        let reader = MappingReader(node, context: context, sink: sink)!
        reader.rejectUnknownKeys(allowed: keys)
        let files = reader.strings("files", required: true) ?? []
        for pattern in files where PathBytes.isAbsolute(pattern.value) || PathBytes.components(pattern.value).contains(where: { PathBytes.equal($0, "..") }) {
            sink.error(pattern.location, "file pattern '\(pattern.value)' leaves the repo", hint: "patterns are relative to the repo root")
        }
        let format = reader.choice("as", as: Format.self, required: true)
        let root = reader.string("root")
        if let root, PathBytes.isAbsolute(root.value) {
            sink.error(root.location, "'root' must be relative to the matched file's folder, found '\(root.value)'")
        }
        let each = reader.string("each").flatMap { KeyPath.parse($0, what: "'each' in \(context)", sink: sink) }
        var mappings: [FieldMapping] = []
        if let fields = reader.mapping("fields", context: "the fields of \(context)", required: true) {
            for entry in fields.entries where NameLimit.check(entry.key, what: "the field name in \(fields.context)", sink: sink) {
                if let mapping = FieldMapping.decode(field: entry.key, entry.value, context: context, sink: sink) {
                    mappings.append(mapping)
                }
            }
        }
        let onError = reader.choice("on_error", as: ErrorPolicy.self)?.value ?? .fail
        guard let table else { return nil }
        // An invalid `as` is already reported; the rule is kept so its fields are still checked.
        return ExtractRule(
            table: table, files: files.map(\.value), exclude: (reader.strings("exclude") ?? []).map(\.value),
            format: format?.value ?? .frontmatter, root: root?.value, each: each, fields: mappings, onError: onError,
            at: table.location)
    }
}

/// A dotted path into a parsed document: `author.name`, `tags.0`.
public enum KeyPath {
    public static func split(_ text: String) -> [String] {
        text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// The segments of `text`, or nil with an error at its place when one is empty (`""`, `a..b`,
    /// `a.`): such a path names no key and would silently read nothing.
    static func parse(_ text: Located<String>, what: String, sink: DiagnosticSink) -> [String]? {
        let segments = split(text.value)
        guard segments.contains(where: \.isEmpty) else { return segments }
        let problem = text.value.isEmpty ? "is empty" : "has an empty segment"
        sink.error(text.location, "key path '\(NameLimit.shown(text.value))' for \(what) \(problem)",
                   hint: "separate key names with single dots: author.name, tags.0")
        return nil
    }
}
