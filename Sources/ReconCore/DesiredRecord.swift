/// Where an extracted record came from.
public struct Provenance: Hashable, Sendable {
    public var repo: String
    /// The matched file's path in the repo.
    public var path: String
    /// The commit that last changed that file (per entity, not per repo).
    public var sourceCommit: String

    public init(repo: String, path: String, sourceCommit: String) {
        self.repo = repo
        self.path = path
        self.sourceCommit = sourceCommit
    }
}

/// A record the manifests want in the base, as extraction produces it.
public struct DesiredRecord: Hashable, Sendable {
    public var table: String
    /// The stable key, `repo:path` (plus `#n` where one file yields several); also the key field's value.
    public var key: String
    /// Managed field values by field name, normalized, without the key field. Link fields hold entity keys.
    public var fields: FieldCells
    public var provenance: Provenance
    /// `FieldValue.contentHash(fields)`.
    public var contentHash: String

    public init(table: String, key: String, fields: FieldCells, provenance: Provenance) {
        self.table = table
        self.key = key
        self.fields = FieldValue.normalize(fields).compacted()
        self.provenance = provenance
        self.contentHash = FieldValue.contentHash(self.fields)
    }

    /// A record read back from a file whose own checksum verified (the extract cache): its fields were
    /// normalized and hashed when it was written, so re-hashing 100,000 of them on every run buys nothing.
    /// From a dictionary (an API edge, and tests).
    public init(table: String, key: String, fields: [String: FieldValue], provenance: Provenance) {
        self.init(table: table, key: key, fields: FieldCells(fields), provenance: provenance)
    }

    public init(table: String, key: String, normalizedFields fields: FieldCells, provenance: Provenance,
                contentHash: String) {
        self.table = table
        self.key = key
        self.fields = fields
        self.provenance = provenance
        self.contentHash = contentHash
    }
}
