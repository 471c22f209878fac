import Foundation
import Manifest
import ReconCore

/// The extract stage: every repo of the manifest → desired records with keys, provenance and
/// resolved links. Repos whose commit (and fingerprint) match the cache are not read again.
///
/// Nothing is written unless the run succeeds; then the cache is updated. `url:` repos are cloned
/// or fetched under `state/repos/` first, which is a copy of the remote, not a result.
public struct Extraction {
    public var manifest: Manifest
    /// Holds `repos/` (mirrors of url repos) and, for the default cache, `cache/extract/`.
    public var stateDirectory: String
    public var cache: (any ExtractCache)?
    public var limits: ExtractLimits
    /// True: the records entries are stored on the other core and the result says so (`ExtractResult.entryStores`);
    /// its caller settles them once it has planned. False: stored before `run` returns.
    public var defersEntryStores = false

    public static let defaultStateDirectory = "state"

    public init(manifest: Manifest, stateDirectory: String = defaultStateDirectory, cache: (any ExtractCache)? = nil,
                limits: ExtractLimits = .default) {
        self.manifest = manifest
        self.stateDirectory = stateDirectory
        self.cache = cache
        self.limits = limits
    }

    private struct ResolvedRepo {
        var spec: RepoSpec
        var repository: GitRepository
        var commit: String
        /// `GitRepository.history`: a shallow clone's boundary, part of every cache fingerprint.
        var history: String
    }

    /// Extracts every repo; throws every error found (with the warnings) when any file or link is bad.
    public func run() throws(DiagnosticsError) -> ExtractResult {
        var diagnostics: [Diagnostic] = []
        var resolved: [ResolvedRepo] = []
        let locator = RepoLocator(stateDirectory: stateDirectory)
        for repo in manifest.repos {
            do {
                let repository = GitRepository(directory: try locator.directory(for: repo), timeout: repo.gitTimeout)
                try repository.confine()
                resolved.append(ResolvedRepo(spec: repo, repository: repository, commit: try repository.resolve(repo.ref),
                                             history: repo.worktree ? "" : try repository.history()))
            } catch {
                diagnostics.append(.error(at: repo.location, "repo '\(repo.name)': \(error.message)",
                                          hint: error.hint ?? "ref '\(repo.ref)' of \(Extraction.describe(repo.source))"))
            }
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw DiagnosticsError(diagnostics) }

        let tables = Dictionary(manifest.tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var fresh: [String: RepoExtractor.Output] = [:]
        var cached: [String: CachedExtraction] = [:]
        var carried: [String: RepoExtractor.Delta] = [:]
        var readFrom: [String: String] = [:]
        var fingerprints: [String: String] = [:]
        for repo in resolved {
            let fingerprint = self.fingerprint(of: repo, among: resolved)
            fingerprints[repo.spec.name] = fingerprint
            let extractor = RepoExtractor(repo: repo.spec, tables: tables, limits: limits)
            var trusted = true
            if let fingerprint, let hit = cache?.load(repo: repo.spec.name, commit: repo.commit, fingerprint: fingerprint) {
                // A sealed entry is what this build read at this commit: the tree check could only agree.
                if hit.vouched || extractor.confirms(hit, in: repo.repository) {
                    cached[repo.spec.name] = hit
                    continue
                }
                trusted = false
            }
            // The commit moved along a straight line from a sealed entry's: only the paths changed since are read.
            var sealedAtHand = false
            if trusted, let fingerprint, var sealed = cache?.loadSealed(repo: repo.spec.name, fingerprint: fingerprint) {
                sealedAtHand = true
                do {
                    if let delta = try extractor.delta(from: &sealed, repository: repo.repository, commit: repo.commit) {
                        fresh[repo.spec.name] = delta.output
                        carried[repo.spec.name] = delta
                        readFrom[repo.spec.name] = sealed.commit
                        continue
                    }
                } catch {
                    diagnostics.append(.error(at: repo.spec.location, "repo '\(repo.spec.name)': \(error)"))
                    continue
                }
            }
            // The commit moved (or links into another repo did): reuse what the files that did not change produced.
            // After an entry that did not match, neither file is trusted: the repo is read in full. So is a repo with no
            // entry sealed by this build to read on from: records reused per file are never sealed, so every later run
            // would stay on this path (4.4 s of extraction at 100,000 files against a delta's 0.8 s); one full read
            // (5.3 s) seals it. A repo linking by key is not: its fingerprint moves with the other repos' commits, and a
            // changed file of a table its links point at sends every delta per file (a full read would seal for nothing).
            let heals = !sealedAtHand && fingerprint != nil && !Self.linksByKey(repo.spec)
                && cache?.sealsEntries == true
            let previous = trusted && !heals ? filesFingerprint(of: repo).flatMap { cache?.loadFiles(repo: repo.spec.name, fingerprint: $0) } : nil
            do {
                let output = try extractor.extract(from: repo.repository, commit: repo.commit, previous: previous)
                if !trusted || output.discardedCache { diagnostics.append(Diagnostic.cacheDiscarded(repo: repo.spec.name)) }
                fresh[repo.spec.name] = output
            } catch {
                diagnostics.append(.error(at: repo.spec.location, "repo '\(repo.spec.name)': \(error)"))
            }
        }

        // The per-file results do not depend on the assembly: written aside on the other core while it runs (~0.3 s of
        // one core at 100,000 files), put in place below only once the run has no errors.
        let failed = diagnostics.contains { $0.severity == .error } || fresh.values.contains { $0.diagnostics.contains { $0.severity == .error } }
        let filesWrites = failed ? nil : prepareFiles(of: resolved, fresh: fresh, carried: carried)
        // The assembler takes the carried records (appended to in place, not copied) and gives the rest of each delta back.
        var assembler = RecordAssembler(fresh: fresh, cached: cached, repoNames: Set(resolved.map(\.spec.name)), carried: carried,
                                        halvingFrom: limits.workers > 1 ? limits.halvingFrom : .max)
        carried = [:]
        // Only the assembler holds the entities now, so they are let go once the records are made, not kept to the end
        // beside the records while the caches are written (a delta's own, for `readNow`, stay in `carried`); and a cached
        // entry's records, so the list returned is sorted in place (a copy of 100,000 was the delta plan's peak).
        for name in fresh.keys { fresh[name]!.entities = [] }
        for name in cached.keys { cached[name]!.records = [] }
        var assembled = assembler.assemble()
        carried = assembler.carried
        // Waited for on every path; a prepared file not committed is removed when it goes.
        var filesPrepared = filesWrites?.value() ?? []
        diagnostics += cached.values.flatMap(\.diagnostics) + assembled.diagnostics
        if diagnostics.contains(where: { $0.severity == .error }) {
            // Newest first: the first repo's write made the cache folder, taken back once the others' files are gone.
            for (_, prepared) in filesPrepared.reversed() { (try? prepared.get())??.discard() }
            throw DiagnosticsError(diagnostics)
        }

        // An entry is sealed only when none of its records came from a cache this folder does not vouch for (the
        // per-file cache, an unsealed entry); with links by key, neither did any other repo's, which they resolve against.
        let clean = Set(fresh.filter { $0.value.filesReused == 0 }.keys).union(cached.filter(\.value.vouched).keys)
        let allClean = resolved.allSatisfy { clean.contains($0.spec.name) }
        var summaries: [RepoExtraction] = []
        var entries: [(summary: Int, entry: CachedExtraction)] = []
        for repo in resolved {
            let name = repo.spec.name
            let records = assembled.records[name] ?? []
            summaries.append(RepoExtraction(name: name, commit: repo.commit, cached: cached[name] != nil, vouched: cached[name]?.vouched ?? false,
                                            filesRead: fresh[name]?.filesRead ?? 0, filesReused: fresh[name]?.filesReused ?? 0,
                                            reusedPaths: fresh[name]?.reusedPaths ?? [],
                                            recordCount: records.count))
            if let fingerprint = fingerprints[name], cached[name]?.vouched == true {
                summaries[summaries.count - 1].sealedEntry = "\(repo.commit) \(fingerprint)"
                summaries[summaries.count - 1].readOn = "\(repo.commit) \(fingerprint)"
            } else if let fingerprint = fingerprints[name], let delta = carried[name], let from = readFrom[name] {
                summaries[summaries.count - 1].readOn = "\(from) \(fingerprint)"
                // The changed paths' entities: every other record is carried as the entry holds it.
                for entity in delta.output.entities { summaries[summaries.count - 1].readNow[entity.table, default: []].insert(entity.key) }
            }
            guard cache != nil, let output = fresh[name] else { continue }
            do {
                // The per-file results written aside above, put in place before the records entry.
                if let index = filesPrepared.firstIndex(where: { $0.repo == name }) { try filesPrepared.remove(at: index).result.get()?.commit() }
                if let fingerprint = fingerprints[name] {
                    let vouched = clean.contains(name) && (allClean || !Self.linksByKey(repo.spec))
                    var entry = CachedExtraction(repo: name, commit: repo.commit, fingerprint: fingerprint, records: records,
                                                 diagnostics: assembled.repoDiagnostics[name] ?? [], sources: output.sources,
                                                 vouched: vouched)
                    // The assembler puts a delta's carried records first, as they are: their bytes are copied.
                    entry.encoded = carried[name]?.encoded
                    // A delta is made only from a tree whose names are ASCII and whose matched entries are no symlinks.
                    entry.plainTree = carried[name] != nil
                    entries.append((summaries.count - 1, entry))
                }
            } catch {
                diagnostics.append(.warning(at: nil, "could not store the extract cache of repo '\(name)': \(error)",
                                            hint: "the next run reads the repo again"))
            }
        }
        var stores: EntryStores?
        if let cache, !entries.isEmpty {
            if defersEntryStores {
                for index in entries.indices { entries[index].entry.lettingCopiedRecordsGo() }
                stores = EntryStores(entries, in: cache.forStoring)
            } else {
                EntryStores.settle(EntryStores.store(entries, in: cache), repos: &summaries, diagnostics: &diagnostics)
            }
        }
        entries = []
        // One repo's list is taken as it is, and sorted in place.
        var records = resolved.count == 1 ? assembled.records.removeValue(forKey: resolved[0].spec.name) ?? []
            : resolved.flatMap { assembled.records[$0.spec.name] ?? [] }
        records.sort { ($0.table, $0.key) < ($1.table, $1.key) }
        var result = ExtractResult(records: records, repos: summaries, diagnostics: diagnostics.sorted())
        result.entryStores = stores
        return result
    }

    /// Each repo's per-file results written aside, one repo after another on another core, in that order; a write's error
    /// stays with its repo, reported (as a warning) where that repo's cache is stored. Nil when there is nothing to write.
    private func prepareFiles(of resolved: [ResolvedRepo], fresh: [String: RepoExtractor.Output], carried: [String: RepoExtractor.Delta])
        -> BackgroundTask<[(repo: String, result: Result<PreparedFile?, any Error>)], Never>? {
        guard let cache else { return nil }
        // A delta read only the changed files: the per-file results of the others still hold as they are.
        let files = resolved.compactMap { repo -> CachedFiles? in
            guard let output = fresh[repo.spec.name], carried[repo.spec.name] == nil, let fingerprint = filesFingerprint(of: repo) else { return nil }
            return CachedFiles(repo: repo.spec.name, commit: repo.commit, fingerprint: fingerprint, files: output.files)
        }
        guard !files.isEmpty else { return nil }
        return BackgroundTask {
            files.map { one in (one.repo, Result { try cache.prepareFiles(one) }) }
        }
    }

    /// What per-file results must match to be reused at another commit: everything a file's
    /// entities depend on besides its bytes, path and last commit. Nil for a working tree.
    private func filesFingerprint(of repo: ResolvedRepo) -> String? {
        guard !repo.spec.worktree else { return nil }
        var hasher = SHA256()
        hasher.update("recon files \(ReconVersion.current)\0\(manifest.digest)\0\(repo.spec.name)\0\(limits.maximumFileSize)\0\(limits.symlinkHops)\0")
        if !repo.history.isEmpty { hasher.update("\(repo.history)\0") }
        return hasher.hexDigest()
    }

    /// What a cache entry must match besides the commit; nil when the repo must always be read
    /// (the working tree, or links into a repo read from its working tree).
    private func fingerprint(of repo: ResolvedRepo, among all: [ResolvedRepo]) -> String? {
        guard !repo.spec.worktree else { return nil }
        var hasher = SHA256()
        hasher.update("recon \(ReconVersion.current)\0\(manifest.digest)\0\(repo.spec.name)\0\(limits.maximumFileSize)\0\(limits.symlinkHops)\0")
        if !repo.history.isEmpty { hasher.update("\(repo.history)\0") }
        if Self.linksByKey(repo.spec) {
            for other in all.sorted(by: { $0.spec.name < $1.spec.name }) where other.spec.name != repo.spec.name {
                if other.spec.worktree { return nil }
                hasher.update("\(other.spec.name)=\(other.commit) \(other.history)\0")
            }
        }
        return hasher.hexDigest()
    }

    /// Whether the repo's records link to keys of other repos, so depend on what those repos hold.
    private static func linksByKey(_ repo: RepoSpec) -> Bool {
        repo.extract.contains { rule in
            rule.fields.contains { mapping in
                if case .link(let link) = mapping.source, link.by != .ancestor { return true }
                return false
            }
        }
    }

    static func describe(_ source: RepoSpec.Source) -> String {
        switch source {
        case .path(let path): "path '\(path)'"
        case .url(let url): "url '\(url)'"
        }
    }
}
