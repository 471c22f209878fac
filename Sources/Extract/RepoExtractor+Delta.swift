import Manifest
import ReconCore

/// A moved commit read from the sealed records entry of an earlier one (issue 12): only the paths a commit since
/// changed are read; every other record, and its file's diagnostics, is carried over as the entry holds it. A sealed
/// entry is what this build read at its commit, and on a straight line of commits an untouched path keeps its tree
/// entry and last commit (`GitRepository.pathsChanged`), so a full read would make the same records for it.
///
/// Anything whose result could depend on a changed path besides its own records sends the repo down the per-file path:
/// a changed file of a table some link points at (links of carried records would move), a symlink among the matched
/// entries or a name past ASCII anywhere in the tree or the changes (`changedEntries`), a diagnostic the entry does not
/// tie to one of its paths, a key a changed file shares with a carried record. Only the changed paths are listed; the
/// new entry's sources are the sealed entry's with theirs merged in (`sources`).
extension RepoExtractor {
    struct Delta {
        /// Records of untouched paths, as the sealed entry holds them (links resolved).
        var carried: [DesiredRecord]
        /// Their bytes in the sealed entry, `ranges[i]` those of `carried[i]`: the next entry copies them.
        var encoded: EncodedRecords?
        /// The changed files' entities and diagnostics, read now; `files` is empty (the per-file cache is kept as is).
        var output: Output
        /// Carried entities of tables that ancestor links point at, with their roots: links of changed files resolve to them.
        var roots: [LinkResolver.Root]
    }

    /// The extraction at `commit` from `sealed` (a vouched entry at another commit, whose records and their bytes' ranges
    /// are taken, to be filtered in place: 100,000 records copied cost as much again to free); nil when the
    /// repo must be read per file (`extract(from:commit:previous:)`).
    func delta(from sealed: inout CachedExtraction, repository: GitRepository, commit: String) throws -> Delta? {
        guard sealed.vouched, sealed.commit != commit, !repo.worktree,
              let changed = try? repository.pathsChanged(from: sealed.commit, to: commit) else { return nil }
        let rules = compiledRules()
        let linked = Set(repo.extract.flatMap { rule in
            rule.fields.compactMap { mapping -> String? in
                if case .link(let link) = mapping.source { return link.table.value }
                return nil
            }
        })
        // A diagnostic is carried with its path's records: each must name one of the entry's paths (a link's names the
        // manifest, and the link could be resolved otherwise now).
        let prefix = repo.name + ":"
        func path(of diagnostic: Diagnostic) -> String? {
            guard let file = diagnostic.location?.file, file.hasPrefix(prefix) else { return nil }
            return String(file.dropFirst(prefix.count))
        }
        guard !changed.contains(where: { path in rules.contains { linked.contains($0.table.name) && $0.matches(path) } }) else { return nil }
        if !sealed.diagnostics.isEmpty {
            let paths = Set(sealed.sources.map(\.path))
            guard sealed.diagnostics.allSatisfy({ path(of: $0).map(paths.contains) == true }) else { return nil }
        }
        // The changed paths' entries, not the whole tree's (`changedEntries`), and the sources made from the entry's.
        guard let tree = try changedEntries(changed, repository: repository, commit: commit, rules: rules,
                                            plainTree: sealed.plainTree) else { return nil }
        var output = try extract(from: repository, commit: commit, only: changed, tree: tree)
        guard !output.irregular, let sources = Self.sources(sealed.sources, without: changed, with: output.sources) else { return nil }
        output.sources = sources
        output.files = []
        // The reader's notes cover every matched path; the untouched ones' are in the entry already.
        output.diagnostics = sealed.diagnostics.filter { !changed.contains(path(of: $0)!) }
            + output.diagnostics.filter { path(of: $0).map(changed.contains) ?? true }

        var carried: [DesiredRecord] = []
        swap(&carried, &sealed.records)
        var ranges = sealed.encoded?.ranges ?? []
        sealed.encoded?.ranges = []
        if ranges.count != carried.count { ranges = [] }
        // The changed files' keys by table (a few), not every carried record's (100,000 strings made to look up a few).
        var readKeys: [String: Set<String>] = [:]
        for entity in output.entities { readKeys[entity.table, default: []].insert(entity.key) }
        var kept = 0
        for index in carried.indices where !changed.contains(carried[index].provenance.path) {
            guard carried[index].provenance.repo == repo.name, readKeys[carried[index].table]?.contains(carried[index].key) != true
            else { return nil }
            if kept != index {
                carried.swapAt(kept, index)
                if !ranges.isEmpty { ranges.swapAt(kept, index) }
            }
            kept += 1
        }
        carried.removeSubrange(kept...)
        if !ranges.isEmpty { ranges.removeSubrange(kept...) }

        // Ancestor links find their target by root; a record does not keep its entity's, so it is made again from the
        // path by the one rule of that table that yields the record's key there.
        var roots: [LinkResolver.Root] = []
        for record in carried where linked.contains(record.table) {
            let makers = rules.filter {
                $0.table.name == record.table && $0.matches(record.provenance.path)
                    && derives(key: record.key, root: nil, checkingRoot: false, path: record.provenance.path, rule: $0)
            }
            guard makers.count == 1 else { return nil }
            guard let relative = makers[0].rule.root else { continue }
            guard let root = RepoPath.resolve(relative, from: RepoPath.directory(of: record.provenance.path)) else { return nil }
            roots.append(LinkResolver.Root(table: record.table, repo: repo.name, root: root, key: record.key))
        }
        return Delta(carried: carried, encoded: sealed.encoded.map { EncodedRecords(bytes: $0.bytes, ranges: ranges) },
                     output: output, roots: roots)
    }

    /// The tree entries at the changed paths that some rule wants, with their sizes, from `GitRepository.sparseTree` and
    /// one `cat-file --batch-check`. On a straight line an untouched path has the same entry at both ends: it is in the
    /// sealed entry's sources exactly when a rule matched it there, and the rules are the same (the fingerprint).
    ///
    /// Nil (the repo is read per file) for a symlink some rule wants, touched or not, as the full listing finds it
    /// (`Output.irregular`: its target may have changed under it), and for any name past ASCII in the tree or among the
    /// changed paths: such a name can be refused for itself or for a twin (`PathName`), and the twin of a deleted name,
    /// carried with its refusal, would be read now.
    ///
    /// `plainTree` (the sealed entry's): the tree at its commit held neither, and an untouched path is as it was there, so
    /// only the changed paths are listed (a few hundred names on the command line, not 100,000 entries read and scanned).
    /// Only names git takes as they are (`namedAsTheyAre`); and when that listing fails, the whole tree is listed.
    func changedEntries(_ changed: Set<String>, repository: GitRepository, commit: String, rules: [CompiledRule],
                        plainTree: Bool = false) throws -> [TreeEntry]? {
        guard changed.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return nil }
        let paths = Set(changed.map { Array($0.utf8)[...] })
        let listingOnlyPaths = plainTree && changed.count <= Self.pathsListedByName
            && changed.reduce(0, { $0 + $1.utf8.count + 1 }) <= Self.bytesListedByName && changed.allSatisfy(Self.namedAsTheyAre)
        let listed = listingOnlyPaths ? (try? repository.sparseTree(at: commit, paths: paths, listingOnlyPaths: true)) : nil
        guard let tree = try listed ?? repository.sparseTree(at: commit, paths: paths),
              !tree.symlinks.contains(where: { path in rules.contains { $0.matches(path) } })
        else { return nil }
        var entries = tree.entries.filter { entry in rules.contains { $0.matches(entry.path) } }
        let sizes = try repository.sizes(of: entries.map(\.object))
        for index in entries.indices { entries[index].size = sizes[entries[index].object] ?? 0 }
        return entries
    }

    /// At most this many changed paths, and bytes of their names, are named to `ls-tree` (`plainTree`); more are found in
    /// the full listing, so a command line stays far below the kernel's limit on its arguments (2 MiB with the default stack).
    static let pathsListedByName = 2_000
    static let bytesListedByName = 256 << 10

    /// A path git lists under the name it was given: no empty, `.` or `..` component (git normalizes those, so a
    /// hostile tree's `a/./SKILL.md` would be asked for as `a/SKILL.md`), and short enough for one argument (Linux
    /// takes at most 128 KiB in one).
    static func namedAsTheyAre(_ path: String) -> Bool {
        path.utf8.count <= 4096 && path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy { component in
            !component.isEmpty && !component.elementsEqual(".".utf8) && !component.elementsEqual("..".utf8)
        }
    }

    /// The sealed entry's sources without the changed paths, and the changed ones listed now (both in tree order, which is
    /// the order of their bytes), merged in tree order; nil when `sealed` is not in strictly ascending order (a full read
    /// lists each path once, in order), or a listed path is not one of `changed`.
    static func sources(_ sealed: [CachedSource], without changed: Set<String>, with listed: [CachedSource]) -> [CachedSource]? {
        func before(_ lhs: String, _ rhs: String) -> Bool { lhs.utf8.lexicographicallyPrecedes(rhs.utf8) }
        let added = listed.sorted { before($0.path, $1.path) }
        guard added.allSatisfy({ changed.contains($0.path) }), zip(added, added.dropFirst()).allSatisfy({ before($0.path, $1.path) })
        else { return nil }
        var merged: [CachedSource] = []
        merged.reserveCapacity(sealed.count + added.count)
        var next = added.startIndex
        for (index, source) in sealed.enumerated() {
            if index > 0, !before(sealed[index - 1].path, source.path) { return nil }
            while next < added.endIndex, before(added[next].path, source.path) {
                merged.append(added[next])
                next += 1
            }
            if !changed.contains(source.path) { merged.append(source) }
        }
        merged += added[next...]
        return merged
    }
}
