import Dispatch
import Extract
import Manifest
import Plan
import ReconCore
import State

/// Extraction for planning. A plan that retires records (delete, archive, forget) of a repo answered from the
/// extract cache, or changes any record the cache made, is made again after reading that repo from its source:
/// a cache that lost, added or altered records (corrupt or edited, whatever checksum it carries) can never write
/// or remove them. Changes from cached records are rare (an unapplied plan made twice, `apply FILE`, drift in the
/// base); changes from files read now (a commit's edits) never trigger it, and a no-op plan never pays it.
/// An entry this state folder sealed (`RepoExtraction.vouched`) is what this build read from source: never re-read.
struct DesiredExtraction {
    var manifest: Manifest
    var stateDirectory: String

    private var cache: FileExtractCache { FileExtractCache(stateDirectory: stateDirectory) }

    /// The desired records, caches used. With `state`, records a verified cache entry holds share the storage of the
    /// state's values where they are the same bytes (a record applied as desired is then held once). `readingFew`: a
    /// sealed entry's records keep their cells in its bytes until read (`FileExtractCache.leavesCellsEncoded`).
    /// `deferringStores`: the records entries are stored on the other core; the caller settles them
    /// (`ExtractResult.settleEntryStores`) and waits for them on every path.
    func extract(sharingWith state: StateModel? = nil, readingFew: Bool = false, deferringStores: Bool = false) throws -> ExtractResult {
        var cache = cache
        cache.leavesCellsEncoded = readingFew
        if let records = state?.records, !records.isEmpty {
            cache.held = HeldCells { table, key in records[table]?[key]?.values }
        }
        var extraction = Extraction(manifest: manifest, stateDirectory: stateDirectory, cache: cache)
        extraction.defersEntryStores = deferringStores
        return try extraction.run()
    }

    /// The desired records with the repos a saved plan changes read from source, not from a cache entry this folder
    /// did not seal: `confirm` would read them again anyway, so checking a saved plan extracts and plans once.
    func extract(rereadingReposOf plan: Plan) throws -> ExtractResult {
        let repos = Set(plan.recordChanges.compactMap(\.repoOfKey))
        guard !repos.isEmpty else { return try extract() }
        return try Extraction(manifest: manifest, stateDirectory: stateDirectory, cache: RereadingCache(base: cache, repos: repos)).run()
    }

    /// The plan `planFirst` makes (from `first`) when it retires no record of a repo the cache answered; else the
    /// repos that it retires from are read from source and the plan made again with `plan`. The first plan is made
    /// here so it is freed before the second: at 100,000 creates, two plans and two extractions at once were the peak.
    /// `reread` is told how long the second read and plan took, so `--timings` shows it (`confirm`).
    func confirm(_ first: ExtractResult, planFirst: () throws -> Plan, plan: (ExtractResult) throws -> Plan,
                 reread: (_ seconds: Double) -> Void = { _ in }) throws -> (extraction: ExtractResult, plan: Plan) {
        let suspect: Set<String>
        do {
            let planned = try planFirst()
            let byName = Dictionary(first.repos.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            // Retiring is checked for any repo the cache answered; any other change (a value the cache altered, a record
            // it added) when the record came from the cache: a records-cache hit, or a file answered by the per-file cache.
            suspect = Set(planned.recordChanges.compactMap { change -> String? in
                guard let repo = change.repoOfKey, let extraction = byName[repo] else { return nil }
                if extraction.cached, !extraction.vouched { return repo }
                if change.retires, extraction.filesReused > 0 { return repo }
                if let source = change.source, source.repo == repo, extraction.reusedPaths.contains(source.path) { return repo }
                return nil
            })
            guard !suspect.isEmpty else { return (first, planned) }
        }

        // The first extraction's entries are written before these repos' are written again.
        first.entryStores?.wait()
        let start = DispatchTime.now().uptimeNanoseconds
        var fresh = try Extraction(manifest: manifest, stateDirectory: stateDirectory,
                                   cache: RereadingCache(base: cache, repos: suspect)).run()
        for repo in suspect.sorted() where first.records(ofRepo: repo) != fresh.records(ofRepo: repo) {
            fresh.diagnostics.append(.cacheDiscarded(repo: repo))
        }
        let planned = try plan(fresh)
        reread(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        return (fresh, planned)
    }
}

/// The extract cache with some repos missing unless this state folder vouches for their entry, so they are read
/// from source (and stored again): reading a vouched entry's repo again would read what it holds.
private struct RereadingCache: ExtractCache {
    let base: FileExtractCache
    let repos: Set<String>

    func load(repo: String, commit: String, fingerprint: String) -> CachedExtraction? {
        repos.contains(repo) ? base.loadVouched(repo: repo, commit: commit, fingerprint: fingerprint)
            : base.load(repo: repo, commit: commit, fingerprint: fingerprint)
    }

    func store(_ extraction: CachedExtraction) throws { try base.store(extraction) }

    func loadFiles(repo: String, fingerprint: String) -> CachedFiles? {
        repos.contains(repo) ? nil : base.loadFiles(repo: repo, fingerprint: fingerprint)
    }

    func prepareFiles(_ files: CachedFiles) throws -> PreparedFile? { try base.prepareFiles(files) }

    /// A sealed entry is what this build read from source: a moved commit may read on from it.
    func loadSealed(repo: String, fingerprint: String) -> CachedExtraction? { base.loadSealed(repo: repo, fingerprint: fingerprint) }
    var sealsEntries: Bool { base.sealsEntries }
}

extension RecordChange {
    /// Whether the change follows from the record no longer being desired.
    fileprivate var retires: Bool { reason == .noLongerDesired || reason == .alreadyDeleted }

    /// The repo a key names (`repo:path`).
    fileprivate var repoOfKey: String? {
        key.firstIndex(of: ":").map { String(key[..<$0]) }
    }
}
