import Manifest
import ReconCore

/// The cheap checks a cache entry passes before it answers: what it claims must match the tree at its commit,
/// and its keys must be ones its paths yield. Values need the files' bytes, so they are not checked here; a plan
/// that would write or retire cached records reads the repo again instead (`DesiredExtraction` in Apply).
extension RepoExtractor {
    /// Whether `entry` may answer: `ls-tree` at its commit lists exactly the entries it was made from, and every
    /// record is of this repo, from one of them, with a key a rule matching that path gives it. One git call.
    func confirms(_ entry: CachedExtraction, in repository: GitRepository) -> Bool {
        guard let tree = try? repository.tree(at: entry.commit) else { return false }
        let rules = compiledRules()
        var listed: [CachedSource] = []
        var rulesByPath: [String: [CompiledRule]] = [:]
        for item in tree {
            let matching = rules.filter { $0.matches(item.path) }
            guard !matching.isEmpty else { continue }
            listed.append(CachedSource(path: item.path, blob: item.object))
            rulesByPath[item.path] = matching
        }
        guard listed == entry.sources else { return false }
        return entry.records.allSatisfy { record in
            record.provenance.repo == repo.name && (rulesByPath[record.provenance.path] ?? []).contains { rule in
                derives(key: record.key, root: nil, checkingRoot: false, path: record.provenance.path, rule: rule)
            }
        }
    }

    /// Whether every cached entity of `file` is one its path yields: made by a rule that matches the path,
    /// with the root and key that rule gives it. An entity naming no rule passes: its file is read again anyway.
    func derives(_ file: CachedFile, rules: [CompiledRule]) -> Bool {
        file.entities.allSatisfy { entity in
            rules.first { $0.index == entity.rule }.map {
                $0.matches(file.path) && derives(key: entity.key, root: entity.root, checkingRoot: true, path: file.path, rule: $0)
            } ?? true
        }
    }

    /// `key` (and `root`, when checked) as `EntityBuilder` makes them from `path` with `rule`, a rule matching it.
    func derives(key: String, root: String?, checkingRoot: Bool, path: String, rule compiled: CompiledRule) -> Bool {
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
