import Extract
import Manifest
import Plan
import ReconCore

/// Extraction for planning. A plan that retires records (delete, archive, forget) of a repo answered from the
/// extract cache is made again after reading that repo from its source: a cache that lost records (corrupt or
/// edited, whatever checksum it carries) can never make them disappear from the base. Retiring from a cached
/// repo is rare (an unapplied plan made twice, or a commit that removed files), so the extra read is too.
struct DesiredExtraction {
    var manifest: Manifest
    var stateDirectory: String

    private var cache: FileExtractCache { FileExtractCache(stateDirectory: stateDirectory) }

    /// The desired records, caches used.
    func extract() throws -> ExtractResult {
        try Extraction(manifest: manifest, stateDirectory: stateDirectory, cache: cache).run()
    }

    /// `planned` (made from `first`) when it retires no record of a repo the cache answered; else the repos that
    /// it retires from are read from source and the plan made again with `plan`.
    func confirm(_ first: ExtractResult, _ planned: Plan, plan: (ExtractResult) throws -> Plan) throws
        -> (extraction: ExtractResult, plan: Plan) {
        let fromCache = Set(first.repos.filter { $0.cached || $0.filesReused > 0 }.map(\.name))
        let suspect = Set(planned.recordChanges.filter(\.retires).compactMap(\.repoOfKey)).intersection(fromCache)
        guard !suspect.isEmpty else { return (first, planned) }

        var fresh = try Extraction(manifest: manifest, stateDirectory: stateDirectory,
                                   cache: RereadingCache(base: cache, repos: suspect)).run()
        for repo in suspect.sorted() where first.records(ofRepo: repo) != fresh.records(ofRepo: repo) {
            fresh.diagnostics.append(.warning(at: nil, "the extract cache of repo '\(repo)' did not match its source and was discarded",
                                              hint: "the repo was read again; the cache is rewritten from what it holds"))
        }
        return (fresh, try plan(fresh))
    }
}

/// The extract cache with some repos always missing, so they are read from source (and stored again).
private struct RereadingCache: ExtractCache {
    let base: any ExtractCache
    let repos: Set<String>

    func load(repo: String, commit: String, fingerprint: String) -> CachedExtraction? {
        repos.contains(repo) ? nil : base.load(repo: repo, commit: commit, fingerprint: fingerprint)
    }

    func store(_ extraction: CachedExtraction) throws { try base.store(extraction) }

    func loadFiles(repo: String, fingerprint: String) -> CachedFiles? {
        repos.contains(repo) ? nil : base.loadFiles(repo: repo, fingerprint: fingerprint)
    }

    func storeFiles(_ files: CachedFiles) throws { try base.storeFiles(files) }
}

extension RecordChange {
    /// Whether the change follows from the record no longer being desired.
    fileprivate var retires: Bool { reason == .noLongerDesired || reason == .alreadyDeleted }

    /// The repo a key names (`repo:path`).
    fileprivate var repoOfKey: String? {
        key.firstIndex(of: ":").map { String(key[..<$0]) }
    }
}
