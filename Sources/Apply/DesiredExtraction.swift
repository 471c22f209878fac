import Extract
import Manifest
import Plan
import ReconCore

/// Extraction for planning. A plan that retires records (delete, archive, forget) of a repo answered from the
/// extract cache, or changes any record of a repo the records cache answered whole, is made again after reading
/// that repo from its source: a cache that lost, added or altered records (corrupt or edited, whatever checksum
/// it carries) can never write or remove them. Such plans are rare at an unmoved commit (an unapplied plan made
/// twice, `apply FILE`, drift in the base), so the extra read is too; a no-op plan never pays it.
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
        let fromRecordsCache = Set(first.repos.filter(\.cached).map(\.name))
        // Every record of a records-cache hit is the cache's word: any change to one (a value it altered, a record it
        // added) is checked. Per-file reuse mixes in files read now, so only retiring is checked there.
        let suspect = Set(planned.recordChanges.filter(\.retires).compactMap(\.repoOfKey)).intersection(fromCache)
            .union(Set(planned.recordChanges.compactMap(\.repoOfKey)).intersection(fromRecordsCache))
        guard !suspect.isEmpty else { return (first, planned) }

        var fresh = try Extraction(manifest: manifest, stateDirectory: stateDirectory,
                                   cache: RereadingCache(base: cache, repos: suspect)).run()
        for repo in suspect.sorted() where first.records(ofRepo: repo) != fresh.records(ofRepo: repo) {
            fresh.diagnostics.append(.cacheDiscarded(repo: repo))
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
