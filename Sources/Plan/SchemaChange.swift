import ReconCore

/// A field as the plan creates it; the applier turns it into a provider's definition.
public struct PlannedField: Sendable, Equatable {
    public var name: String
    /// The manifest's type name (`singleLineText`, `multipleRecordLinks`, ...).
    public var type: String
    public var description: String?
    public var choices: [String]?
    public var linkedTable: String?
    public var precision: Int?

    public init(name: String, type: String, description: String? = nil, choices: [String]? = nil,
                linkedTable: String? = nil, precision: Int? = nil) {
        self.name = name
        self.type = type
        self.description = description
        self.choices = choices
        self.linkedTable = linkedTable
        self.precision = precision
    }
}

/// A change to the base's schema. A closed set of typed cases, as Atlas does it.
public enum SchemaChange: Sendable, Equatable {
    /// A table with its fields, key field first.
    case createTable(name: String, description: String?, fields: [PlannedField])
    case createField(table: String, field: PlannedField)
    case updateTable(table: String, tableID: String, description: Change<String?>)
    /// Name (a field renamed in the base is renamed back), description or select choices.
    case updateField(FieldUpdate)
    /// What the base cannot do by API: someone has to do it by hand. Blocks only what depends on it.
    case manual(ManualItem)

    public var table: String {
        switch self {
        case .createTable(let name, _, _): name
        case .createField(let table, _), .updateTable(let table, _, _): table
        case .updateField(let update): update.table
        case .manual(let item): item.table
        }
    }
}

/// What changes on an existing field; nil members stay as they are.
public struct FieldUpdate: Sendable, Equatable {
    public var table: String
    public var fieldID: String
    /// The field's name in the manifests.
    public var field: String
    public var name: Change<String>?
    public var description: Change<String?>?
    public var choices: Change<[String]>?

    public init(table: String, fieldID: String, field: String, name: Change<String>? = nil,
                description: Change<String?>? = nil, choices: Change<[String]>? = nil) {
        self.table = table
        self.fieldID = fieldID
        self.field = field
        self.name = name
        self.description = description
        self.choices = choices
    }
}

/// A before and after pair.
public struct Change<Value: Sendable & Equatable>: Sendable, Equatable {
    public var before: Value
    public var after: Value

    public init(_ before: Value, _ after: Value) {
        self.before = before
        self.after = after
    }
}

/// A schema difference that needs a person: what differs and what to do about it.
public struct ManualItem: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case fieldTypeChanged = "field-type-changed"
        case fieldOptionsChanged = "field-options-changed"
        case fieldTypeNotCreatable = "field-type-not-creatable"
        case tableNoLongerDeclared = "table-no-longer-declared"
    }

    public var kind: Kind
    public var table: String
    public var field: String?
    public var message: String
    public var instructions: String

    /// The id other plan items use in `blockedBy`.
    public var id: String { field.map { "\(table).\($0)" } ?? table }
}
