import ReconCore

/// Everything the manifests declare, merged from every file of the directory.
public struct Manifest: Sendable {
    public var target: TargetSpec
    public var tables: [TableSpec]
    public var repos: [RepoSpec]
    public var protected: [ProtectedSpec]
    public var retention: RetentionPolicy
    public var policy: PlanPolicy
    /// `checks:`: the level and threshold of each check code.
    public var checks: CheckPolicy = .default
    /// `hooks:` of every file, concatenated in file order (docs/hooks.md).
    public var hooks: [HookSpec] = []
    public var state: StateSpec
    /// The files read, in the order read.
    public var files: [String]
    /// SHA-256 of every file's name and bytes: a plan records it to notice edited manifests.
    public var digest: String

    public init(target: TargetSpec = .default, tables: [TableSpec] = [], repos: [RepoSpec] = [],
                protected: [ProtectedSpec] = [], retention: RetentionPolicy = .default, policy: PlanPolicy = .default,
                state: StateSpec = .default, files: [String] = [], digest: String = "") {
        self.target = target
        self.tables = tables
        self.repos = repos
        self.protected = protected
        self.retention = retention
        self.policy = policy
        self.state = state
        self.files = files
        self.digest = digest
    }

    public func table(named name: String) -> TableSpec? {
        tables.first { $0.name == name }
    }

    /// The protected field names of a table.
    public func protectedFields(of table: String) -> Set<String> {
        Set(protected.filter { $0.table.value == table }.flatMap { $0.fields.map(\.value) })
    }

    /// The hooks of one point, in the order written.
    public func hooks(at point: HookPoint) -> [HookSpec] {
        hooks.filter { $0.point == point }
    }
}
