import ReconCore
import YAML

/// One field (column) of a table.
public struct FieldSpec: Sendable, Equatable {
    public var name: String
    public var type: FieldType
    public var description: String?
    /// Airtable may coerce values (create select options); off unless the manifest says so.
    public var typecast: Bool
    public var location: SourceLocation
    /// Where `table:` was written, for link cross-checks.
    public var linkLocation: SourceLocation?
    /// `renamed_from`: the field's previous name, so a rename in the manifests renames the field the state
    /// knows (by its id) instead of creating a new one beside it.
    public var renamedFrom: Located<String>?

    public init(name: String, type: FieldType, description: String? = nil, typecast: Bool = false,
                at location: SourceLocation, linkLocation: SourceLocation? = nil) {
        self.name = name
        self.type = type
        self.description = description
        self.typecast = typecast
        self.location = location
        self.linkLocation = linkLocation
    }
}

extension FieldSpec {
    static let keys = ["name", "type", "description", "choices", "table", "precision", "typecast", "renamed_from"]

    static func decode(_ node: Node, table: String, sink: DiagnosticSink) -> FieldSpec? {
        guard let probe = MappingReader(node, context: "a field of table '\(table)'", sink: sink) else { return nil }
        let name = probe.name("name", what: "the field name", required: true)
        let context = name.map { "field '\($0.value)' of table '\(table)'" } ?? "a field of table '\(table)'"
        let reader = MappingReader(node, context: context, sink: sink)!
        reader.rejectUnknownKeys(allowed: keys)
        guard let typeName = reader.choice("type", as: FieldType.Name.self, required: true), let name else { return nil }
        let inner = reader

        var type: FieldType
        var linkLocation: SourceLocation?
        switch typeName.value {
        case .singleLineText: type = .singleLineText
        case .multilineText: type = .multilineText
        case .url: type = .url
        case .email: type = .email
        case .phoneNumber: type = .phoneNumber
        case .checkbox: type = .checkbox
        case .date: type = .date
        case .dateTime: type = .dateTime
        case .number:
            let precision = inner.int("precision", minimum: 0)
            if let precision, precision.value > 8 {
                sink.error(precision.location, "expected 'precision' of \(context) to be at most 8, found \(precision.value)")
            }
            type = .number(precision: precision?.value ?? FieldType.defaultPrecision)
        case .singleSelect, .multipleSelects:
            let choices = inner.strings("choices", required: true) ?? []
            var seen = Set<String>()
            for choice in choices where !seen.insert(choice.value).inserted {
                sink.error(choice.location, "duplicate choice '\(choice.value)' in \(context)")
            }
            let values = choices.map(\.value)
            type = typeName.value == .singleSelect ? .singleSelect(choices: values) : .multipleSelects(choices: values)
        case .multipleRecordLinks:
            let linked = inner.name("table", what: "the linked table name", required: true)
            linkLocation = linked?.location
            type = .multipleRecordLinks(table: linked?.value ?? "")
        }
        for (key, applies) in [("choices", type.choices != nil), ("table", type.linkedTable != nil),
                               ("precision", typeName.value == .number)] where !applies {
            if let misplaced = reader.value(key) {
                sink.error(misplaced.location, "'\(key)' does not apply to a field of type \(typeName.value.rawValue)")
            }
        }
        var field = FieldSpec(
            name: name.value, type: type, description: inner.string("description")?.value,
            typecast: inner.bool("typecast")?.value ?? false, at: name.location, linkLocation: linkLocation)
        field.renamedFrom = inner.name("renamed_from", what: "the previous field name")
        return field
    }
}
