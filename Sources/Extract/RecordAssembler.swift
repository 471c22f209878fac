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
    /// `ExtractLimits.halvingFrom`; `.max`: one pass.
    var halvingFrom = Int.max

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
        if names.count == 1, !entities.isEmpty {
            result.records[names[0], default: []].reserveCapacity((result.records[names[0]]?.count ?? 0) + entities.count)
        }
        // The second half's records are made on the other core (links resolved, values normalized and hashed: ~0.4 s of
        // one core at 100,000) while this one makes the first half's; each goes in after, in entity order, as in one pass.
        let cut = entities.count / 2 >= halvingFrom ? entities.count / 2 : entities.count
        let second = cut < entities.count ? BackgroundTask {
            var made = Made()
            made.records.reserveCapacity(entities.count - cut)
            Self.records(entities[cut...], kept: kept, resolver: resolver, problem: { made.problems.append(($0, $1)) }) { made.records.append($0) }
            return made
        } : nil
        Self.records(entities[..<cut], kept: kept, resolver: resolver, problem: { result.repoDiagnostics[$0, default: []].append($1) }) {
            result.records[$0.provenance.repo, default: []].append($0)
        }
        second?.value().put(into: &result)
        result.diagnostics = result.repoDiagnostics.keys.sorted().flatMap { result.repoDiagnostics[$0]! }
        return result
    }

    /// The second half's records and the problems their links met, put in after the first half's.
    struct Made: Sendable {
        var records: [DesiredRecord] = []
        var problems: [(repo: String, diagnostic: Diagnostic)] = []

        func put(into result: inout Assembled) {
            for problem in problems { result.repoDiagnostics[problem.repo, default: []].append(problem.diagnostic) }
            for record in records { result.records[record.provenance.repo, default: []].append(record) }
        }
    }

    /// The records of the kept entities among `entities`, their links resolved, handed to `record` in order; the problems
    /// the links meet to `problem`, with the entity's repo.
    private static func records(_ entities: ArraySlice<PendingEntity>, kept: [Bool], resolver: LinkResolver,
                                problem: (String, Diagnostic) -> Void, record: (DesiredRecord) -> Void) {
        // Links repeat (a plugin's skills all name it): one list each, per half.
        var interner = ValueInterner()
        for index in entities.indices where kept[index] {
            var fields = entities[index].fields
            for link in entities[index].links {
                let keys = resolver.resolve(link, of: entities[index]) { found in
                    problem(entities[index].repo, found.severity == .error && entities[index].onError == .skip ? found.downgraded("the value is left out") : found)
                }
                if !keys.isEmpty { fields[link.field] = .list(interner.list(keys)) }
            }
            let provenance = Provenance(repo: entities[index].repo, path: entities[index].file, sourceCommit: entities[index].sourceCommit)
            record(DesiredRecord(table: entities[index].table, key: entities[index].key, fields: fields, provenance: provenance))
        }
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
