import Manifest
import Plan
import ReconCore

/// Turns link values (entity keys) into record ids as apply learns them. Keys of records created
/// later in the run are not known yet: those link cells are deferred to the link pass.
struct LinkIDResolver {
    /// Table → key → record id, for the tables links point at.
    private(set) var ids: [String: [String: String]] = [:]
    /// Field name → linked table name, per table.
    private let links: [String: [String: String]]
    /// Tables some link field points at: only their ids are ever looked up.
    private let targets: Set<String>

    /// `state` may hold every table; only the ids of tables links point at are kept.
    init(manifest: Manifest, state: [String: [String: String]]) {
        var links: [String: [String: String]] = [:]
        for table in manifest.tables {
            for field in table.fields {
                if let linked = field.type.linkedTable { links[table.name, default: [:]][field.name] = linked }
            }
        }
        self.links = links
        let targets = Self.targets(of: manifest)
        self.targets = targets
        ids = state.filter { targets.contains($0.key) }
    }

    /// The tables some link field of the manifests points at.
    static func targets(of manifest: Manifest) -> Set<String> {
        Set(manifest.tables.flatMap { $0.fields.compactMap(\.type.linkedTable) })
    }

    mutating func learn(table: String, key: String, id: String) {
        guard targets.contains(table) else { return }
        ids[table, default: [:]][key] = id
    }

    func isLink(_ field: String, in table: String) -> Bool { links[table]?[field] != nil }

    /// Field name → linked table for one table's link fields, empty for most: looked up once per batch, not twice
    /// per cell (at 100k creates those lookups were a quarter of the executor's dictionary work).
    func linkFields(of table: String) -> [String: String] { links[table] ?? [:] }

    /// The ids for a link value pointing at `linked`, or nil when some key is not known yet.
    func resolve(_ value: FieldValue, linkedTo linked: String) -> FieldValue? {
        guard case .list(let keys) = value else { return value }
        guard let known = ids[linked] else { return keys.isEmpty ? .list([]) : nil }
        var resolved: [String] = []
        resolved.reserveCapacity(keys.count)
        for key in keys {
            guard let id = known[key] else { return nil }
            resolved.append(id)
        }
        return .list(resolved)
    }

    /// A link value without the keys that were left out: what the state records as written.
    static func written(_ value: FieldValue?, leavingOut missing: [String]) -> FieldValue? {
        guard !missing.isEmpty, case .list(let keys)? = value else { return value }
        let left = Set(missing)
        return .list(keys.filter { !left.contains($0) })
    }

    /// The ids that are known now, dropping the rest (for the link pass, after every create).
    func resolveKnown(_ value: FieldValue, field: String, in table: String) -> (value: FieldValue, missing: [String]) {
        guard let linked = links[table]?[field], case .list(let keys) = value else { return (value, []) }
        let found = keys.compactMap { ids[linked]?[$0] }
        let missing = keys.filter { ids[linked]?[$0] == nil }
        return (.list(found), missing)
    }
}
