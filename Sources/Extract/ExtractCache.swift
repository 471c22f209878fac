import ReconCore

/// Where extraction keeps each repo's records between runs, so a repo whose commit has not moved
/// is not read again (the "incremental" rule).
///
/// An entry answers only for the exact repo, commit and fingerprint it was stored with. The
/// fingerprint covers the manifests, the tool version and limits, and (for repos whose links
/// name other repos' keys) those repos' commits, so a changed rule never serves stale records.
/// The state stage may wrap an implementation to answer only for the commit of the last apply.
public protocol ExtractCache: Sendable {
    /// The entry for `repo` if one was stored for exactly this commit and fingerprint.
    func load(repo: String, commit: String, fingerprint: String) -> CachedExtraction?
    /// Replaces the entry of `extraction.repo`. Called only after a run without errors.
    func store(_ extraction: CachedExtraction) throws
}

/// One repo's extraction as the cache keeps it.
public struct CachedExtraction: Sendable, Equatable {
    public var repo: String
    public var commit: String
    public var fingerprint: String
    /// Resolved records, links holding keys.
    public var records: [DesiredRecord]
    /// The warnings and notes of the extraction, shown again when the cache answers.
    public var diagnostics: [Diagnostic]

    public init(repo: String, commit: String, fingerprint: String, records: [DesiredRecord], diagnostics: [Diagnostic]) {
        self.repo = repo
        self.commit = commit
        self.fingerprint = fingerprint
        self.records = records
        self.diagnostics = diagnostics
    }
}
