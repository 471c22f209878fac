import ReconCore
import YAML

/// A table of the base: its key (merge) field, its fields, and what happens to records no longer desired.
public struct TableSpec: Sendable, Equatable {
    public enum DeletePolicy: String, Sendable, CaseIterable {
        /// Delete the record from the base.
        case delete
        /// Keep the record and tick the table's `archive_field` checkbox.
        case archive
        /// Leave the record alone and stop managing it.
        case keep
    }

    public var name: String
    public var key: Located<String>
    public var description: String?
    public var fields: [FieldSpec]
    public var onDelete: DeletePolicy
    public var archiveField: Located<String>?
    public var location: SourceLocation

    public init(name: String, key: Located<String>, description: String? = nil, fields: [FieldSpec],
                onDelete: DeletePolicy = .delete, archiveField: Located<String>? = nil, at location: SourceLocation) {
        self.name = name
        self.key = key
        self.description = description
        self.fields = fields
        self.onDelete = onDelete
        self.archiveField = archiveField
        self.location = location
    }

    public func field(named name: String) -> FieldSpec? {
        fields.first { $0.name == name }
    }
}

extension TableSpec {
    static let keys = ["name", "key", "description", "fields", "on_delete", "archive_field"]

    static func decode(_ node: Node, sink: DiagnosticSink) -> TableSpec? {
        guard let probe = MappingReader(node, context: "a table", sink: sink) else { return nil }
        let name = probe.name("name", what: "the table name", required: true)
        let context = name.map { "table '\($0.value)'" } ?? "a table"
        let reader = MappingReader(node, context: context, sink: sink)!
        reader.rejectUnknownKeys(allowed: keys)
        let key = reader.name("key", what: "the key field name", required: true)
        let fields = (reader.list("fields", required: true) ?? []).compactMap {
            FieldSpec.decode($0, table: name?.value ?? "?", sink: sink)
        }
        if let list = reader.value("fields"), list.sequence?.isEmpty == true {
            sink.error(list.location, "\(context) declares no fields", hint: "a table needs at least its key field")
        }
        let archiveField = reader.name("archive_field", what: "the archive field name")
        // A misspelt on_delete beside an archive_field meant archive; reading it so avoids a second, echoing error.
        let onDelete = reader.choice("on_delete", as: DeletePolicy.self)?.value
            ?? (reader.contains("on_delete") && archiveField != nil ? .archive : .delete)
        guard let name, let key else { return nil }
        return TableSpec(
            name: name.value, key: key, description: reader.string("description")?.value, fields: fields,
            onDelete: onDelete, archiveField: archiveField, at: name.location)
    }
}
