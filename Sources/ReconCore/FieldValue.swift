/// A cell value as Recon compares it. Absent, empty text, false and an empty list are all
/// "no value" (Airtable omits empty cells), so they are never stored: see `normalized`.
public enum FieldValue: Hashable, Sendable {
    case text(String)
    case number(Double)
    case bool(Bool)
    /// multipleSelects choices; for links, entity keys (desired) or record ids (remote).
    case list([String])

    /// Nil for every spelling of "no value"; the one place that rule lives.
    public var normalized: FieldValue? {
        switch self {
        case .text(let text): text.isEmpty ? nil : self
        case .bool(let flag): flag ? self : nil
        case .list(let items): items.isEmpty ? nil : self
        case .number: self
        }
    }

    /// Cells that are all values already (the usual case) come back as they are, without a new dictionary.
    public static func normalize(_ fields: [String: FieldValue]) -> [String: FieldValue] {
        fields.values.allSatisfy { $0.normalized != nil } ? fields : fields.compactMapValues(\.normalized)
    }

    /// Cells that are all values already (the usual case) come back as they are, sharing their layout.
    public static func normalize(_ fields: FieldCells) -> FieldCells {
        fields.values.allSatisfy { $0.normalized != nil } ? fields : fields.compactMapValues(\.normalized)
    }

    public var json: JSONValue {
        switch self {
        case .text(let text): .string(text)
        case .number(let number): .number(number)
        case .bool(let flag): .bool(flag)
        case .list(let items): .array(items.map(JSONValue.string))
        }
    }

    /// Reads the JSON form back; null and unknown shapes are "no value".
    public init?(json: JSONValue) {
        switch json {
        case .string(let text): self = .text(text)
        case .number(let number): self = .number(number)
        case .bool(let flag): self = .bool(flag)
        case .array(let items): self = .list(items.compactMap(\.stringValue))
        case .null, .object: return nil
        }
    }

    public func write(to writer: inout JSONWriter) {
        switch self {
        case .text(let text): writer.string(text)
        case .number(let number): writer.number(number)
        case .bool(let flag): writer.bool(flag)
        case .list(let items):
            writer.beginArray()
            for item in items { writer.string(item) }
            writer.endArray()
        }
    }

    /// SHA-256 of the canonical JSON of normalized fields: equal hashes mean equal records,
    /// so a no-op plan compares one string per record instead of every field.
    public static func contentHash(_ fields: [String: FieldValue]) -> String {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            guard let value = value.normalized else { continue }
            writer.key(name)
            value.write(to: &writer)
        }
        writer.endObject()
        return SHA256.hex(writer.finish())
    }

    /// `contentHash` of cells: they are sorted already.
    public static func contentHash(_ fields: FieldCells) -> String {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        for (name, value) in fields {
            guard let value = value.normalized else { continue }
            writer.key(name)
            value.write(to: &writer)
        }
        writer.endObject()
        return SHA256.hex(writer.finish())
    }
}

extension JSONWriter {
    /// A `{name: value}` object with the names sorted: the one canonical form of a record's cells, shared by
    /// plans, state, backups and the extraction cache.
    public mutating func fieldValues(_ values: [String: FieldValue]) {
        beginObject()
        // Sorted as pairs: no lookup per cell (this writes every record of a 100k state).
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            key(name)
            value.write(to: &self)
        }
        endObject()
    }

    /// `fieldValues` of cells, which iterate in the same sorted order.
    public mutating func fieldValues(_ values: FieldCells) {
        beginObject()
        for (name, value) in values {
            key(name)
            value.write(to: &self)
        }
        endObject()
    }
}
