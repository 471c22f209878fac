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

    public init(manifest: Manifest, desired: [DesiredRecord], state: StateModel, remote: RemoteSnapshot,
                scope: PlanScope = .all, repoCommits: [String: String] = [:]) {
        self.manifest = manifest
        self.desired = desired
        self.state = state
        self.remote = remote
        self.scope = scope
        self.repoCommits = repoCommits
    }
}

/// `--target TABLE[/KEY]` and `--repo NAME`: which part of the manifests a plan covers.
public struct PlanScope: Sendable, Equatable {
    public var tables: Set<String>
    /// Table → keys; a table named here is limited to these keys.
    public var keys: [String: Set<String>]
    public var repos: Set<String>

    public static let all = PlanScope(tables: [], keys: [:], repos: [])

    public init(tables: Set<String>, keys: [String: Set<String>], repos: Set<String>) {
        self.tables = tables
        self.keys = keys
        self.repos = repos
    }

    /// Parses `TABLE` or `TABLE/KEY` targets.
    public init(targets: [String], repos: [String]) {
        var tables = Set<String>()
        var keys: [String: Set<String>] = [:]
        for target in targets {
            if let slash = target.firstIndex(of: "/") {
                let table = String(target[..<slash])
                tables.insert(table)
                keys[table, default: []].insert(String(target[target.index(after: slash)...]))
            } else {
                tables.insert(target)
            }
        }
        self.init(tables: tables, keys: keys, repos: Set(repos))
    }

    public var isAll: Bool { tables.isEmpty && repos.isEmpty }

    /// The `--target` values this scope was parsed from, sorted: `TABLE` or `TABLE/KEY`.
    public var targets: [String] {
        tables.sorted().flatMap { table in keys[table].map { $0.sorted().map { "\(table)/\($0)" } } ?? [table] }
    }

    func includes(table: String) -> Bool { tables.isEmpty || tables.contains(table) }

    public func includes(table: String, key: String) -> Bool {
        guard includes(table: table) else { return false }
        if let only = keys[table], !only.contains(key) { return false }
        if !repos.isEmpty {
            let repo = key.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            return repos.contains(repo)
        }
        return true
    }
}
