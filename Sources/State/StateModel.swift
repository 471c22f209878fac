import ReconCore

/// The local state: what Recon last applied and the ids the base gave it (Terraform-like).
/// Field names of this value are fixed by docs/state.md; the on-disk format is versioned.
public struct StateModel: Sendable, Equatable {
    public static let formatVersion = 1

    public var version: Int
    /// A UUID fixed when the state is created; a plan made against another lineage is refused.
    public var lineage: String
    /// +1 on every write.
    public var serial: Int
    /// `sqlite:<database path>` or `airtable:<base id>`: which base this state describes.
    public var target: String
    /// Table name → its remote id and field ids.
    public var tables: [String: TableState]
    /// Table name → key → the managed record.
    public var records: [String: [String: ManagedRecord]]
    /// Repo name → the commit last extracted and applied.
    public var repos: [String: RepoState]
    /// Some records hold their id alone, their values left in the verified file a lean load read
    /// (`StateStore.loadLean`): such a state is written only by copying those records from that file, never encoded.
    public internal(set) var isPartial = false

    public init(lineage: String, target: String, serial: Int = 0) {
        self.version = StateModel.formatVersion
        self.lineage = lineage
        self.serial = serial
        self.target = target
        self.tables = [:]
        self.records = [:]
        self.repos = [:]
    }
}

public struct TableState: Sendable, Equatable {
    public var id: String
    /// Field name → remote field id.
    public var fields: [String: String]

    public init(id: String, fields: [String: String]) {
        self.id = id
        self.fields = fields
    }
}

/// A record Recon manages: its remote id and the managed values it last wrote.
public struct ManagedRecord: Sendable, Equatable {
    public var id: String
    /// Last-applied managed values by field name, normalized; link fields hold entity keys.
    public var values: FieldCells
    /// `FieldValue.contentHash(values)`, so an unchanged record is recognised by one comparison. Worked out when
    /// asked (only the planner asks, once per record): apply makes 100,000 of these and loads as many, and never asks.
    public var hash: String { FieldValue.contentHash(values) }
    /// Fields whose base value was adopted (`policy.drift: adopt`) → the manifests' value it overrode
    /// (empty text when they gave none). The adoption holds until the manifests' value changes.
    public var adopted: FieldCells

    public init(id: String, values: FieldCells, adopted: FieldCells = [:]) {
        self.id = id
        self.values = FieldValue.normalize(values).compacted()
        self.adopted = adopted.compacted()
    }

    /// From dictionaries (an API edge, and tests).
    public init(id: String, values: [String: FieldValue], adopted: [String: FieldValue] = [:]) {
        self.init(id: id, values: FieldCells(values), adopted: FieldCells(adopted))
    }
}

/// What was extracted from a repo at the last apply, for incremental runs.
public struct RepoState: Sendable, Equatable {
    public var commit: String

    public init(commit: String) { self.commit = commit }
}
