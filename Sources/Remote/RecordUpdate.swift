import ReconCore

/// One record's changed cells. Only the named fields are written; the others keep their values.
public struct RecordUpdate: Hashable, Sendable {
    public var id: String
    /// New value by field name; nil (or any value that normalizes to "no value") clears the cell.
    /// Link fields hold record ids.
    public var fields: [String: FieldValue?]

    public init(id: String, fields: [String: FieldValue?]) {
        self.id = id
        self.fields = fields
    }
}

/// The outcome of upserting one record: the record as stored, and whether it was new.
public struct UpsertedRecord: Hashable, Sendable {
    public var record: RemoteRecord
    /// False when a record with the same key already existed and was updated instead,
    /// e.g. when a retry follows a lost response.
    public var created: Bool
    /// The record as it was before an upsert updated it (SQLite reads it in the same transaction, Airtable just
    /// before the request): the before-image rollback restores, since the run did not create that record.
    /// Nil when the provider saw no record under the key beforehand (a retried create of its own).
    public var previous: RemoteRecord?

    public init(record: RemoteRecord, created: Bool, previous: RemoteRecord? = nil) {
        self.record = record
        self.created = created
        self.previous = previous
    }
}
