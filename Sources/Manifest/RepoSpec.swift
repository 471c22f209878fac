import ReconCore
import YAML

/// A git repository that records are extracted from.
public struct RepoSpec: Sendable {
    public enum Source: Sendable, Equatable {
        /// A local checkout, relative to the working directory.
        case path(String)
        /// A clone of this URL, cached under state/.
        case url(String)
    }

    public var name: String
    public var source: Source
    public var ref: String
    /// Read uncommitted working-tree files instead of the tree at `ref`.
    public var worktree: Bool
    /// Seconds one git process of this repo may run (a duration: `90`, `30s`, `2m`); nil for `RECON_GIT_TIMEOUT` or the default.
    public var gitTimeout: Double?
    public var extract: [ExtractRule]
    public var location: SourceLocation

    public static let defaultRef = "HEAD"

    public init(name: String, source: Source, ref: String = defaultRef, worktree: Bool = false, gitTimeout: Double? = nil,
                extract: [ExtractRule], at location: SourceLocation) {
        self.name = name
        self.source = source
        self.ref = ref
        self.worktree = worktree
        self.gitTimeout = gitTimeout
        self.extract = extract
        self.location = location
    }
}

extension RepoSpec {
    static let keys = ["name", "path", "url", "ref", "worktree", "git_timeout", "extract"]

    static func decode(_ node: Node, sink: DiagnosticSink) -> RepoSpec? {
        guard let probe = MappingReader(node, context: "a repo", sink: sink) else { return nil }
        let name = probe.name("name", what: "the repo name", required: true)
        let context = name.map { "repo '\($0.value)'" } ?? "a repo"
        let reader = MappingReader(node, context: context, sink: sink)!
        reader.rejectUnknownKeys(allowed: keys)
        if let name, let problem = PathRule.problem(withName: name.value) {
            sink.error(name.location, "invalid repo name \(PathRule.quoted(name.value)): \(problem)",
                       hint: "use letters, digits, '-', '_' or '.', not starting with '.': the name starts every record key "
                           + "(name:path) and names the repo's mirror and cache files under state/")
        }
        let path = reader.nonNullString("path")
        if let path, let problem = PathRule.problem(withDirectoryPath: path.value) {
            sink.error(path.location, "invalid repo path \(PathRule.quoted(path.value)): \(problem)")
        }
        let url = reader.nonNullString("url")
        var source: Source?
        switch (path, url) {
        case let (path?, nil): source = .path(path.value)
        case let (nil, url?): source = .url(url.value)
        case (_?, let url?): sink.error(url.location, "\(context) gives both 'path' and 'url'", hint: "give one of them")
        case (nil, nil) where !reader.contains("path") && !reader.contains("url"):
            sink.error(node.location, "\(context) needs a 'path' (a local checkout) or a 'url' (to clone)")
        case (nil, nil): break // the empty one is already reported
        }
        let ref = reader.string("ref")?.value ?? defaultRef
        let worktree = reader.bool("worktree")
        if let worktree, worktree.value, url != nil {
            sink.error(worktree.location, "'worktree: true' needs a local 'path', not a 'url'")
        }
        let gitTimeout = reader.duration("git_timeout", minimum: 1)?.value
        let extract = (reader.list("extract", required: true) ?? []).compactMap {
            ExtractRule.decode($0, repo: name?.value ?? "?", sink: sink)
        }
        guard let name else { return nil }
        // A bad source is already reported; the repo is kept so its rules are still checked.
        return RepoSpec(name: name.value, source: source ?? .path(""), ref: ref, worktree: worktree?.value ?? false,
                        gitTimeout: gitTimeout, extract: extract, at: name.location)
    }
}
