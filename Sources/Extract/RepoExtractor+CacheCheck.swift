import Manifest
import ReconCore

/// The cheap checks a cache entry passes before it answers: what it claims must match the tree at its commit,
/// and its keys must be ones its paths yield. Values need the files' bytes, so they are not checked here; a plan
/// that would write or retire cached records reads the repo again instead (`DesiredExtraction` in Apply).
extension RepoExtractor {
    /// The tree entries the rules match at `commit`, in tree order (one `ls-tree`).
    func sources(in repository: GitRepository, commit: String) throws -> [CachedSource] {
        let rules = compiledRules()
        return try repository.tree(at: commit).filter { entry in rules.contains { $0.matches(entry.path) } }
            .map { CachedSource(path: $0.path, blob: $0.object) }
    }

    /// Whether `entry` may answer: `ls-tree` lists exactly the entries it was made from, and every record is of
    /// this repo, from one of them, with a key a matching rule gives that path.
    func confirms(_ entry: CachedExtraction, in repository: GitRepository) -> Bool {
        guard let listed = try? sources(in: repository, commit: entry.commit), listed == entry.sources else { return false }
        let paths = Set(listed.map(\.path))
        let rules = compiledRules()
        return entry.records.allSatisfy { record in
            record.provenance.repo == repo.name && paths.contains(record.provenance.path)
                && rules.contains { rule in derives(key: record.key, root: nil, checkingRoot: false, path: record.provenance.path, rule: rule) }
        }
    }

    /// Whether every cached entity of `file` is one its path yields: made by a rule that matches the path,
    /// with the root and key that rule gives it. An entity naming no rule passes: its file is read again anyway.
    func derives(_ file: CachedFile, rules: [CompiledRule]) -> Bool {
        file.entities.allSatisfy { entity in
            rules.first { $0.index == entity.rule }.map {
                derives(key: entity.key, root: entity.root, checkingRoot: true, path: file.path, rule: $0)
            } ?? true
        }
    }

    /// `key` (and `root`, when checked) as `EntityBuilder` makes them from `path` with `rule`.
    private func derives(key: String, root: String?, checkingRoot: Bool, path: String, rule compiled: CompiledRule) -> Bool {
        guard compiled.matches(path) else { return false }
        var expected: String?
        if let relative = compiled.rule.root {
            guard let resolved = RepoPath.resolve(relative, from: RepoPath.directory(of: path)) else { return false }
            expected = resolved
        }
        if checkingRoot, root != expected { return false }
        let base = "\(repo.name):\(expected.map(RepoPath.display) ?? path)"
        guard compiled.rule.each != nil else { return key == base }
        guard key.hasPrefix(base + "#"), let index = Int(key.dropFirst(base.count + 1)) else { return false }
        return key == "\(base)#\(index)" && index >= 0
    }
}
