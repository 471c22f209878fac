import Manifest
import ReconCore
import Remote
import State

/// Everything the planner reads. Values only: the planner does no I/O.
public struct PlanInput: Sendable {
    public var manifest: Manifest
    /// Every desired record of every table (already extracted).
    public var desired: [DesiredRecord]
    public var state: StateModel
    public var remote: RemoteSnapshot
    public var scope: PlanScope
    /// Repo name → extracted commit.
    public var repoCommits: [String: String]
    /// Plan only these keys (`remote` holds only their records): a delta run (`PlanDelta`). Nil plans every record.
    public var delta: PlanDelta?

    public init(manifest: Manifest, desired: [DesiredRecord], state: StateModel, remote: RemoteSnapshot,
                scope: PlanScope = .all, repoCommits: [String: String] = [:], delta: PlanDelta? = nil) {
        self.delta = delta
        self.manifest = manifest
        self.desired = desired
        self.state = state
        self.remote = remote
        self.scope = scope
        self.repoCommits = repoCommits
    }
}

/// `--target TABLE[/KEY]`, `--exclude TABLE[/KEY]` and `--repo NAME`: which part of the manifests a plan covers.
/// An exclusion wins over a target.
public struct PlanScope: Sendable, Equatable {
    public var tables: Set<String>
    /// Table → keys; a table named here is limited to these keys.
    public var keys: [String: Set<String>]
    public var repos: Set<String>
    /// Tables left out whole.
    public var excludedTables: Set<String> = []
    /// Table → keys left out of it.
    public var excludedKeys: [String: Set<String>] = [:]

    public static let all = PlanScope(tables: [], keys: [:], repos: [])

    public init(tables: Set<String>, keys: [String: Set<String>], repos: Set<String>) {
        self.tables = tables
        self.keys = keys
        self.repos = repos
    }

    /// Parses `TABLE` or `TABLE/KEY` targets and exclusions.
    public init(targets: [String], repos: [String], excludes: [String] = []) {
        let (tables, keys) = Self.parse(targets)
        self.init(tables: tables, keys: keys, repos: Set(repos))
        for name in excludes {
            if let (table, key) = PathBytes.splitFirst(name) {
                excludedKeys[table, default: []].insert(key)
            } else {
                excludedTables.insert(name)
            }
        }
    }

    private static func parse(_ names: [String]) -> (Set<String>, [String: Set<String>]) {
        var tables = Set<String>()
        var keys: [String: Set<String>] = [:]
        for name in names {
            if let (table, key) = PathBytes.splitFirst(name) {
                keys[table, default: []].insert(key)
                tables.insert(table)
            } else {
                tables.insert(name)
            }
        }
        return (tables, keys)
    }

    public var isAll: Bool { tables.isEmpty && repos.isEmpty && excludedTables.isEmpty && excludedKeys.isEmpty }

    /// The `--target` values this scope was parsed from, sorted: `TABLE` or `TABLE/KEY`.
    public var targets: [String] { Self.names(tables, keys) }

    /// The `--exclude` values, sorted: whole tables and `TABLE/KEY`.
    public var excludes: [String] {
        (Array(excludedTables) + excludedKeys.flatMap { table, keys in keys.map { "\(table)/\($0)" } }).sorted()
    }

    private static func names(_ tables: Set<String>, _ keys: [String: Set<String>]) -> [String] {
        tables.sorted().flatMap { table in keys[table].map { $0.sorted().map { "\(table)/\($0)" } } ?? [table] }
    }

    /// Whether the table is planned at all: named by a target (or none given) and not excluded whole.
    func includes(table: String) -> Bool {
        (tables.isEmpty || tables.contains(table)) && !excludedTables.contains(table)
    }

    public func includes(table: String, key: String) -> Bool {
        guard includes(table: table) else { return false }
        if let only = keys[table], !only.contains(key) { return false }
        if excludedKeys[table]?.contains(key) == true { return false }
        if !repos.isEmpty {
            let repo = key.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            return repos.contains(repo)
        }
        return true
    }
}
