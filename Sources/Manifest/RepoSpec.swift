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
    /// Seconds one git process of this repo may run; nil for `RECON_GIT_TIMEOUT` or the default.
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
        let name = probe.string("name", required: true)
        let context = name.map { "repo '\($0.value)'" } ?? "a repo"
        let reader = MappingReader(node, context: context, sink: sink)!
        reader.rejectUnknownKeys(allowed: keys)
        if let name, !RepoSpec.isValidName(name.value) {
            sink.error(name.location, "invalid repo name '\(name.value)'",
                       hint: "use letters, digits, '-', '_' or '.': the name starts every record key (name:path)")
        }
        let path = reader.string("path")
        let url = reader.string("url")
        var source: Source?
        switch (path, url) {
        case let (path?, nil): source = .path(path.value)
        case let (nil, url?): source = .url(url.value)
        case (_?, let url?): sink.error(url.location, "\(context) gives both 'path' and 'url'", hint: "give one of them")
        case (nil, nil): sink.error(node.location, "\(context) needs a 'path' (a local checkout) or a 'url' (to clone)")
        }
        let ref = reader.string("ref")?.value ?? defaultRef
        let worktree = reader.bool("worktree")
        if let worktree, worktree.value, url != nil {
            sink.error(worktree.location, "'worktree: true' needs a local 'path', not a 'url'")
        }
        let gitTimeout = reader.number("git_timeout", minimum: 1)?.value
        let extract = (reader.list("extract", required: true) ?? []).compactMap {
            ExtractRule.decode($0, repo: name?.value ?? "?", sink: sink)
        }
        guard let name else { return nil }
        // A bad source is already reported; the repo is kept so its rules are still checked.
        return RepoSpec(name: name.value, source: source ?? .path(""), ref: ref, worktree: worktree?.value ?? false,
                        gitTimeout: gitTimeout, extract: extract, at: name.location)
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
