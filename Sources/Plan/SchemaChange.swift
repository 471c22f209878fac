import ReconCore
import Remote

/// A change to the base's schema. A closed set of typed cases, as Atlas does it.
public enum SchemaChange: Sendable, Equatable {
    /// A table with its fields, key field first. Fields are described as providers create them.
    case createTable(name: String, description: String?, fields: [FieldDefinition])
    case createField(table: String, field: FieldDefinition)
    /// Name (a table renamed in the base is renamed back) or description.
    case updateTable(TableUpdate)
    /// Name (a field renamed in the base is renamed back), description or select choices.
    case updateField(FieldUpdate)
    /// A field the state maps but the manifests no longer declare: the state forgets it, the base keeps
    /// the field and its values.
    case unmanageField(table: String, fieldID: String, field: String)
    /// What the base cannot do by API: someone has to do it by hand. Blocks only what depends on it.
    case manual(ManualItem)

    public var table: String {
        switch self {
        case .createTable(let name, _, _): name
        case .createField(let table, _), .unmanageField(let table, _, _): table
        case .updateTable(let update): update.table
        case .updateField(let update): update.table
        case .manual(let item): item.table
        }
    }
}

/// What changes on an existing table; nil members stay as they are.
public struct TableUpdate: Sendable, Equatable {
    /// The table's name in the manifests.
    public var table: String
    public var tableID: String
    public var name: Change<String>?
    public var description: Change<String?>?

    public init(table: String, tableID: String, name: Change<String>? = nil, description: Change<String?>? = nil) {
        self.table = table
        self.tableID = tableID
        self.name = name
        self.description = description
    }
}

/// What changes on an existing field; nil members stay as they are.
public struct FieldUpdate: Sendable, Equatable {
    public var table: String
    public var fieldID: String
    /// The field's name in the manifests.
    public var field: String
    public var name: Change<String>?
    /// Why `name` changes; only meaningful with `name`.
    public var renamedIn: RenameOrigin = .base
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

/// Where a rename was made: in the base (renamed back) or in the manifests (`renamed_from`, carried out).
public enum RenameOrigin: String, Sendable, CaseIterable {
    case base
    case manifests
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
        case tableNotCreatedByRecon = "table-not-created-by-recon"
    }

    public var kind: Kind
    public var table: String
    public var field: String?
    public var message: String
    public var instructions: String

    /// The id other plan items use in `blockedBy`.
    public var id: String { field.map { "\(table).\($0)" } ?? table }
}
