import ReconCore

/// A field as the base reports it.
public struct RemoteField: Hashable, Sendable {
    public var id: String
    public var name: String
    public var type: RemoteFieldType
    public var description: String?
    /// Select choices, in order.
    public var choices: [String]?
    /// For links: the linked table's id.
    public var linkedTableID: String?
    /// For numbers: digits after the decimal point.
    public var precision: Int?

    public init(id: String, name: String, type: RemoteFieldType, description: String? = nil, choices: [String]? = nil,
                linkedTableID: String? = nil, precision: Int? = nil) {
        self.id = id
        self.name = name
        self.type = type
        self.description = description
        self.choices = choices
        self.linkedTableID = linkedTableID
        self.precision = precision
    }
}

/// A table as the base reports it.
public struct RemoteTable: Hashable, Sendable {
    public var id: String
    public var name: String
    public var description: String?
    public var primaryFieldID: String?
    public var fields: [RemoteField]

    public init(id: String, name: String, description: String? = nil, primaryFieldID: String? = nil, fields: [RemoteField]) {
        self.id = id
        self.name = name
        self.description = description
        self.primaryFieldID = primaryFieldID
        self.fields = fields
    }

    public func field(named name: String) -> RemoteField? { fields.first { $0.name == name } }
    public func field(id: String) -> RemoteField? { fields.first { $0.id == id } }
}

/// Every table of the base.
public struct RemoteSchema: Hashable, Sendable {
    public var tables: [RemoteTable]
    /// What the remote's API can change; the planner makes the rest `manual`.
    public var capabilities: ProviderCapabilities
    /// Tables Recon did not create, where the provider can tell (SQLite).
    public var foreignTables: [ForeignTable]

    public init(tables: [RemoteTable], capabilities: ProviderCapabilities = .unrestricted, foreignTables: [ForeignTable] = []) {
        self.tables = tables
        self.capabilities = capabilities
        self.foreignTables = foreignTables
    }

    public func table(named name: String) -> RemoteTable? { tables.first { $0.name == name } }
    public func table(id: String) -> RemoteTable? { tables.first { $0.id == id } }

    /// The one way a declared table is found: by the id the state recorded (so a rename in the base is
    /// followed), else by name (a table the state does not know yet).
    public func table(id: String?, named name: String) -> RemoteTable? {
        if let id, let table = table(id: id) { return table }
        return table(named: name)
    }
}
