import ReconCore

/// A field to create: the manifests' closed type set, so every provider must handle every type.
/// The mapping from the manifest's `FieldSpec` lives in the stage that imports both.
public struct FieldDefinition: Hashable, Sendable {
    public var name: String
    public var type: FieldType.Name
    public var description: String?
    /// Select choices, in order.
    public var choices: [String]?
    /// For links: the linked table's name; the provider resolves it to an id, so a table created
    /// earlier in the same apply can be named before anyone knows its id.
    public var linkedTable: String?
    /// For numbers: digits after the decimal point.
    public var precision: Int?

    public init(name: String, type: FieldType.Name, description: String? = nil, choices: [String]? = nil,
                linkedTable: String? = nil, precision: Int? = nil) {
        self.name = name
        self.type = type
        self.description = description
        self.choices = choices
        self.linkedTable = linkedTable
        self.precision = precision
    }
}

/// A table to create: its fields, and which of them is the key (merge) field.
public struct TableDefinition: Hashable, Sendable {
    public var name: String
    public var description: String?
    /// The key field's name; it must be one of `fields`. Providers make it the primary field
    /// and index it so upserts on it stay idempotent and fast.
    public var keyField: String
    public var fields: [FieldDefinition]

    public init(name: String, description: String? = nil, keyField: String, fields: [FieldDefinition]) {
        self.name = name
        self.description = description
        self.keyField = keyField
        self.fields = fields
    }
}
