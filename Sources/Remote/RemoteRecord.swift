import ReconCore

/// A record as the base reports it. Fields are keyed by field name; link fields hold record ids.
public struct RemoteRecord: Hashable, Sendable {
    public var id: String
    public var fields: FieldCells

    public init(id: String, fields: FieldCells) {
        self.id = id
        self.fields = FieldValue.normalize(fields).compacted()
    }

    /// From a dictionary (an API edge, and tests).
    public init(id: String, fields: [String: FieldValue]) {
        self.init(id: id, fields: FieldCells(fields))
    }
}

/// What refresh found: the schema and the records of every managed table that exists.
public struct RemoteSnapshot: Sendable {
    public var schema: RemoteSchema
    /// Records by table name.
    public var records: [String: [RemoteRecord]]

    public init(schema: RemoteSchema, records: [String: [RemoteRecord]]) {
        self.schema = schema
        self.records = records
    }
}
