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
public struct DesiredRecord: Sendable {
    public var table: String
    /// The stable key, `repo:path` (plus `#n` where one file yields several); also the key field's value.
    public var key: String
    /// Managed field values by field name, normalized, without the key field. Link fields hold entity keys.
    /// A record carried from a sealed entry decodes them on first use (`EncodedFieldCells`); an assignment replaces them.
    public var fields: FieldCells {
        get { encodedFields?.cells ?? decodedFields }
        set {
            decodedFields = newValue
            encodedFields = nil
        }
    }
    public var provenance: Provenance
    /// `FieldValue.contentHash(fields)`.
    public var contentHash: String
    private var decodedFields: FieldCells
    /// Set while the cells are only bytes of a verified entry.
    private var encodedFields: EncodedFieldCells?

    public init(table: String, key: String, fields: FieldCells, provenance: Provenance) {
        self.table = table
        self.key = key
        self.decodedFields = FieldValue.normalize(fields).compacted()
        self.provenance = provenance
        self.contentHash = FieldValue.contentHash(self.decodedFields)
    }

    /// From a dictionary (an API edge, and tests).
    public init(table: String, key: String, fields: [String: FieldValue], provenance: Provenance) {
        self.init(table: table, key: key, fields: FieldCells(fields), provenance: provenance)
    }

    /// A record read back from a file whose own checksum verified (the extract cache): its fields were
    /// normalized and hashed when it was written, so re-hashing 100,000 of them on every run buys nothing.
    public init(table: String, key: String, normalizedFields fields: FieldCells, provenance: Provenance,
                contentHash: String) {
        self.table = table
        self.key = key
        self.decodedFields = fields
        self.provenance = provenance
        self.contentHash = contentHash
    }

    /// As `init(normalizedFields:)`, the cells left in the verified bytes they were written as until they are read.
    public init(table: String, key: String, encodedFields fields: EncodedFieldCells, provenance: Provenance,
                contentHash: String) {
        self.table = table
        self.key = key
        self.decodedFields = FieldCells()
        self.encodedFields = fields
        self.provenance = provenance
        self.contentHash = contentHash
    }

    /// `fields`, without keeping a decode of cells still in their bytes: for a writer that reads each record once.
    public var transientFields: FieldCells { encodedFields?.transientCells ?? decodedFields }

    /// Whether the cells are still undecoded bytes (for tests and measurements).
    public var fieldsAreEncoded: Bool { encodedFields != nil }
}

extension DesiredRecord: Hashable {
    /// As the memberwise comparison was: every member, the cells by value (two records of the same bytes need no decode).
    public static func == (lhs: DesiredRecord, rhs: DesiredRecord) -> Bool {
        guard lhs.table == rhs.table, lhs.key == rhs.key, lhs.provenance == rhs.provenance, lhs.contentHash == rhs.contentHash
        else { return false }
        if let left = lhs.encodedFields, let right = rhs.encodedFields, left === right { return true }
        return lhs.fields == rhs.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(table)
        hasher.combine(key)
        hasher.combine(fields)
        hasher.combine(provenance)
        hasher.combine(contentHash)
    }
}
