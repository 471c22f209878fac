import Manifest
import ReconCore

/// Joins fresh entities and cached records: resolves links, refuses duplicate keys, and turns
/// entities into desired records grouped by repo.
struct RecordAssembler {
    /// `assemble` takes the entities out.
    var fresh: [String: RepoExtractor.Output]
    /// `assemble` takes the records out, so the one list left is sorted in place, not copied.
    var cached: [String: CachedExtraction]
    let repoNames: Set<String>
    /// Per repo, the records a sealed entry carries over (`RepoExtractor.Delta`), put before its fresh ones as they are
    /// (the next entry copies their bytes by index, `CachedExtraction.encoded`). `assemble` moves them out.
    var carried: [String: RepoExtractor.Delta] = [:]

    struct Assembled {
        var records: [String: [DesiredRecord]] = [:]
        /// Every diagnostic of the fresh repos (file problems, notes, links, duplicates).
        var diagnostics: [Diagnostic] = []
        /// Warnings and notes per fresh repo, for the cache.
        var repoDiagnostics: [String: [Diagnostic]] = [:]
    }

    mutating func assemble() -> Assembled {
        var result = Assembled()
        // One repo's list is shared, not copied entity by entity (100,000 of them at a 1% change, issue 12).
        let names = fresh.keys.sorted()
        let entities = names.count == 1 ? fresh[names[0]]!.entities : names.flatMap { fresh[$0]!.entities }
        for name in names { fresh[name]!.entities = [] }
        for (name, output) in fresh { result.repoDiagnostics[name] = output.diagnostics }
        for name in cached.keys {
            result.records[name] = cached[name]!.records
            cached[name]!.records = []
        }
        // Moved, so appending the fresh records does not copy 100,000 carried ones.
        for name in carried.keys.sorted() {
            result.records[name] = carried[name]!.carried
            carried[name]!.carried = []
        }
        let roots = carried.values.flatMap(\.roots)

        // Which entities become records: each key's first, and a repeated key's holders from its first file.
        let kept = keptEntities(entities, into: &result)

        // Every record not read now: the cached entries' and the carried ones, all in `result.records` so far.
        let resolver = LinkResolver(fresh: entities, cached: Array(result.records.values), repoNames: repoNames, roots: roots)
        // Sized once: grown by doubling, 100,000 records held room for 131,072.
        // Links repeat (a plugin's skills all name it): one list each.
        var interner = ValueInterner()
        if names.count == 1, !entities.isEmpty {
            result.records[names[0], default: []].reserveCapacity((result.records[names[0]]?.count ?? 0) + entities.count)
        }
        for (index, entity) in entities.enumerated() where kept[index] {
            var fields = entity.fields
            for link in entity.links {
                let keys = resolver.resolve(link, of: entity) { problem in
                    let reported = problem.severity == .error && entity.onError == .skip ? problem.downgraded("the value is left out") : problem
                    result.repoDiagnostics[entity.repo, default: []].append(reported)
                }
                if !keys.isEmpty { fields[link.field] = .list(interner.list(keys)) }
            }
            let provenance = Provenance(repo: entity.repo, path: entity.file, sourceCommit: entity.sourceCommit)
            result.records[entity.repo, default: []].append(DesiredRecord(table: entity.table, key: entity.key, fields: fields, provenance: provenance))
        }
        result.diagnostics = result.repoDiagnostics.keys.sorted().flatMap { result.repoDiagnostics[$0]! }
        return result
    }

    /// Whether each entity becomes a record: a key's first holder, and a repeated key's holders from the first's file;
    /// a repeated key is reported at each later holder. Its own function so the ids and the table of firsts (two
    /// strings and a slot per entity, ~16 MB at 100,000) are let go before the records are built (issue 12).
    private func keptEntities(_ entities: [PendingEntity], into result: inout Assembled) -> [Bool] {
        // By index: an entity copied into a dictionary is a copy of its rule and fields.
        let ids = entities.map { $0.table + "\0" + $0.key }
        var firstByKey: [String: Int] = [:]
        firstByKey.reserveCapacity(entities.count)
        var duplicates: Set<String> = []
        for (index, entity) in entities.enumerated() {
            guard let firstIndex = firstByKey[ids[index]] else {
                firstByKey[ids[index]] = index
                continue
            }
            let first = entities[firstIndex]
            duplicates.insert(ids[index])
            let shown = ControlEscape.escaped
            result.repoDiagnostics[entity.repo, default: []].append(.error(
                at: entity.ruleLocation,
                "duplicate key '\(shown(entity.key))' in table '\(entity.table)': made from \(entity.repo):\(shown(entity.file)) by this rule "
                    + "and from \(first.repo):\(shown(first.file)) by the rule at \(first.ruleLocation)",
                hint: "give one of the rules another 'root', 'files' or 'exclude' so each entity has one key"))
        }
        guard !duplicates.isEmpty else { return Array(repeating: true, count: entities.count) }
        return entities.indices.map { !duplicates.contains(ids[$0]) || entities[firstByKey[ids[$0]]!].file == entities[$0].file }
    }
}
