import Manifest
import ReconCore

/// Resolves pending links to entity keys, once every repo's entities are known.
///
/// By ancestor: the linked table's entity (same repo, with a `root`) whose root directory is the
/// nearest one holding the file. By key: `path` means this repo's `repo:path`, `repo:path` is taken
/// as written; either must name an extracted entity of the linked table.
struct LinkResolver {
    /// Table → every key extracted (fresh or cached), for the tables links by key name.
    private var keys: [String: Set<String>] = [:]
    /// Table → repo → root directory → keys of the entities with that root, sorted.
    private var roots: [String: [String: [String: [String]]]] = [:]
    private let repoNames: Set<String>

    /// An entity known by its record only, with the root its rule gave it (`RepoExtractor.Delta`).
    struct Root {
        var table: String
        var repo: String
        var root: String
        var key: String
    }

    /// `cached`: the records of each repo not read now. Keys are kept only of the tables a link by key of `fresh` names,
    /// the only ones `resolve` looks up (100,000 carried keys hashed for no link at a 1% change, issue 12).
    init(fresh: [PendingEntity], cached: [[DesiredRecord]], repoNames: Set<String>, roots known: [Root] = []) {
        self.repoNames = repoNames
        let named = Set(fresh.lazy.flatMap(\.links).filter { $0.candidates != nil }.map(\.table))
        for records in cached {
            for record in records where named.contains(record.table) { keys[record.table, default: []].insert(record.key) }
        }
        for item in known { roots[item.table, default: [:]][item.repo, default: [:]][item.root, default: []].append(item.key) }
        for entity in fresh {
            if named.contains(entity.table) { keys[entity.table, default: []].insert(entity.key) }
            if let root = entity.root { roots[entity.table, default: [:]][entity.repo, default: [:]][root, default: []].append(entity.key) }
        }
        for (table, byRepo) in roots {
            for (repo, byRoot) in byRepo {
                roots[table]![repo] = byRoot.mapValues { $0.sorted() }
            }
        }
    }

    /// The keys for one link of `entity`; unresolved values are reported as `problem`.
    func resolve(_ link: PendingLink, of entity: PendingEntity, problem: (Diagnostic) -> Void) -> [String] {
        // Made only for a problem: most links resolve.
        var what: String { "link field '\(link.field)' of \(entity.key) (\(entity.repo):\(entity.file))" }
        guard let candidates = link.candidates else {
            // The file's folders from the deepest up to the repo root (""): the first holder found is the nearest.
            if let holders = roots[link.table]?[entity.repo] {
                var directory = RepoPath.directory(of: entity.file)
                while true {
                    if let hit = holders[directory]?.first(where: { $0 != entity.key }) { return [hit] }
                    if directory.isEmpty { break }
                    directory = RepoPath.directory(of: directory)
                }
            }
            problem(.warning(at: link.location, "no '\(link.table)' entity of repo '\(entity.repo)' holds \(entity.file); \(what) left empty",
                             hint: "an ancestor link finds the nearest entity whose root directory holds the file"))
            return []
        }
        var resolved: [String] = []
        for candidate in candidates {
            let key = qualified(candidate, repo: entity.repo)
            guard let key, keys[link.table]?.contains(key) == true else {
                problem(.error(at: link.location, "\(what) names '\(candidate)', which is no '\(link.table)' entity",
                               hint: "give the linked entity's path in its repo, or its full key 'repo:path'"))
                continue
            }
            if !resolved.contains(key) { resolved.append(key) }
        }
        return resolved
    }

    /// `repo:path` stays as written when `repo` is a known repo; a bare path is taken in `repo`.
    private func qualified(_ value: String, repo: String) -> String? {
        if let colon = value.firstIndex(of: ":"), repoNames.contains(String(value[..<colon])) {
            let path = String(value[value.index(after: colon)...])
            return RepoPath.resolve(path, from: "").map { "\(value[..<colon]):\(RepoPath.display($0))" }
        }
        return RepoPath.resolve(value, from: "").map { "\(repo):\(RepoPath.display($0))" }
    }
}
