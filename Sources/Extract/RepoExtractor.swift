import Manifest
import ReconCore

/// Reads one repo: matches files to rules, parses each once per format, builds entities, and
/// applies each rule's error policy (fail: an error; skip: a warning and the file is left out).
///
/// Given the per-file results of an earlier extraction (same fingerprint, any commit), a file
/// whose blob is unchanged is not read: its entities and diagnostics are reused, with the last
/// commit found now.
struct RepoExtractor {
    let repo: RepoSpec
    let tables: [String: TableSpec]
    let limits: ExtractLimits
    /// Shared by the files' entities (`EntityBuilder.interner`).
    var interner = SharedInterner()

    struct Output {
        var entities: [PendingEntity] = []
        var diagnostics: [Diagnostic] = []
        var filesRead = 0
        var filesReused = 0
        var reusedPaths: Set<String> = []
        /// Every readable file's results, in tree order, for the cache (empty for a working tree).
        var files: [CachedFile] = []
        /// The matched tree entries, for the records cache (empty for a working tree).
        var sources: [CachedSource] = []
        /// True when the per-file results given did not derive from their paths and were not used.
        var discardedCache = false
        /// True when a matched entry is a symlink or has a name that cannot make a key (`Delta` then reads in full).
        var irregular = false
    }

    /// A rule ready to match paths.
    struct CompiledRule {
        /// Its index in `repo.extract`, the rule's name in the cache.
        var index: Int
        var rule: ExtractRule
        var table: TableSpec
        var files: [GlobPattern]
        var exclude: [GlobPattern]
        /// `EntityBuilder.targets`, once per run.
        var targets: [FieldSpec?]

        func matches(_ path: String) -> Bool {
            files.contains { $0.matches(path) } && !exclude.contains { $0.matches(path) }
        }

        /// True when an entity's fields hold what the Markdown body says (`$title`, `$summary`, `$words`, `$links`).
        var readsMarkdown: Bool {
            rule.fields.contains { mapping in
                switch mapping.source {
                case .builtin(.title), .builtin(.summary), .builtin(.words), .builtin(.links): return true
                default: return false
                }
            }
        }

        /// True when an entity's fields hold the file's last commit (`$commit`).
        var readsCommit: Bool {
            rule.fields.contains { mapping in
                if case .builtin(.commit) = mapping.source { return true }
                return false
            }
        }
    }

    /// The repo's rules whose table is declared, ready to match paths.
    func compiledRules() -> [CompiledRule] {
        repo.extract.enumerated().compactMap { index, rule in
            tables[rule.table.value].map {
                CompiledRule(index: index, rule: rule, table: $0, files: rule.files.map(GlobPattern.init), exclude: rule.exclude.map(GlobPattern.init),
                             targets: EntityBuilder.targets(of: rule, in: $0))
            }
        }
    }

    /// With `only`, files at other paths are not read (`delta`): their entities are not in the output. With `tree`, those
    /// entries stand for the tree at `commit` (`RepoReader.read`), and `sources` holds only the matched ones among them.
    func extract(from repository: GitRepository, commit: String, previous: CachedFiles? = nil, only: Set<String>? = nil,
                 tree: [TreeEntry]? = nil) throws -> Output {
        let rules = compiledRules()
        var output = Output()
        var previous = previous
        if let files = previous?.files, !files.allSatisfy({ derives($0, rules: rules) }) {
            previous = nil
            output.discardedCache = true
        }
        // By index into the cached list and by slot in tree order: at 100,000 files, dictionaries of copied entries
        // were a good part of a 1% change's extraction (issue 12).
        let earlierFiles = previous?.files ?? []
        var earlier: [String: Int] = [:]
        earlier.reserveCapacity(earlierFiles.count)
        for (index, file) in earlierFiles.enumerated() where earlier[file.path] == nil { earlier[file.path] = index }
        let owners = ruleOwners()
        var slots: [(file: CachedFile, entities: [PendingEntity])?] = []
        var slotOfPath: [String: Int] = [:]
        let reader = RepoReader(name: repo.name, repository: repository, limits: limits)
        // Parsed on the other cores while git is read; put back by path, in tree order, below.
        let parsing = OrderedPipeline<SourceFile, (path: String, file: CachedFile, entities: [PendingEntity])>(workers: limits.workers) {
            [self] file in
            let (cached, entities) = read(file, rules: rules)
            return (file.path, cached, entities)
        }
        let notes = try reader.read(commit: commit, worktree: repo.worktree, wanted: { path in rules.contains { $0.matches(path) } },
                                    reuse: { candidate in
            guard let index = earlier[candidate.path], earlierFiles[index].blob == candidate.blob,
                  // A twin is refused for another file's name (`K` and the Kelvin sign), so neither the refusal nor its
                  // absence is the blob's: an ASCII twin is listed under its own name, and its cached results would answer.
                  candidate.nameProblem == nil, !earlierFiles[index].diagnostics.contains(where: PathName.refuses),
                  // A moved last commit is new content for rules that store it.
                  earlierFiles[index].sourceCommit == candidate.sourceCommit
                    || !rules.contains(where: { $0.readsCommit && $0.matches(candidate.path) }),
                  let entities = pending(earlierFiles[index], path: candidate.path, sourceCommit: candidate.sourceCommit, owners: owners)
            else {
                slotOfPath[candidate.path] = slots.count
                slots.append(nil)
                return false
            }
            var cached = earlierFiles[index]
            if cached.sourceCommit != candidate.sourceCommit {
                cached.sourceCommit = candidate.sourceCommit
                cached.encoded = nil
            }
            slots.append((cached, entities))
            output.filesReused += 1
            output.reusedPaths.insert(candidate.path)
            return true
        }, only: only, tree: tree, listed: { entries in
            output.sources = entries.map { CachedSource(path: $0.path, blob: $0.object) }
            output.irregular = entries.contains { $0.kind == .symlink || $0.nameProblem != nil }
        }) { file in
            parsing.add(file)
            output.filesRead += 1
        }
        // Committed files have their slot in tree order (taken when reuse was asked); a working tree's come in order.
        for parsed in parsing.finish() {
            let result = (file: parsed.file, entities: parsed.entities)
            if let slot = slotOfPath[parsed.path] { slots[slot] = result } else { slots.append(result) }
        }
        // Sized once, and each file's own list let go as it is copied: grown by doubling while every file still held its
        // list, the old and new arrays and the lists were the cold extraction's peak at 100,000 entities (issue 12).
        output.entities.reserveCapacity(slots.reduce(0) { $0 + ($1?.entities.count ?? 0) })
        if !repo.worktree { output.files.reserveCapacity(slots.count) }
        for index in slots.indices {
            guard let result = slots[index] else { continue }
            slots[index] = nil
            output.entities += result.entities
            output.diagnostics += result.file.diagnostics
            if !repo.worktree { output.files.append(result.file) }
        }
        output.diagnostics += notes
        return output
    }

    /// Parses one file once per format and builds the entities of every rule that matches it.
    private func read(_ file: SourceFile, rules: [CompiledRule]) -> (file: CachedFile, entities: [PendingEntity]) {
        var entities: [PendingEntity] = []
        var diagnostics: [Diagnostic] = []
        var cachedEntities: [CachedEntity] = []
        let matching = rules.filter { $0.matches(file.path) }
        if let problem = file.nameProblem, !matching.isEmpty {
            // Refused one by one like any bad file: skipped when every rule that wants it says on_error: skip.
            let policy: ExtractRule.ErrorPolicy = matching.allSatisfy { $0.rule.onError == .skip } ? .skip : .fail
            diagnostics.append(apply(policy, to: .error(at: file.location(), problem.message,
                                                        hint: "rename the file; keys are made from file names")))
        } else if file.isBinary {
            diagnostics.append(.note(at: file.location(), "binary file skipped"))
        } else {
            var documents: [ExtractRule.Format: Result<SourceDocument, SourceDocument.Failure>] = [:]
            for compiled in matching {
                let rule = compiled.rule
                let parsed = documents[rule.format] ?? Result { () throws(SourceDocument.Failure) in
                    try SourceDocument(file, format: rule.format, summarize: matching.contains { $0.rule.format == rule.format && $0.readsMarkdown })
                }
                let firstUse = documents[rule.format] == nil
                documents[rule.format] = parsed
                do throws(EntityBuilder.Failure) {
                    let document: SourceDocument
                    switch parsed {
                    case .success(let success): document = success
                    case .failure(let failure):
                        // One report per file and format, however many rules read it.
                        if firstUse { diagnostics.append(apply(rule.onError, to: failure.diagnostic)) }
                        continue
                    }
                    let builder = EntityBuilder(repo: repo.name, rule: rule, table: compiled.table, targets: compiled.targets, interner: interner)
                    let built = try builder.entities(from: file, document: document)
                    entities += built
                    cachedEntities += built.map { entity in
                        CachedEntity(rule: compiled.index, key: entity.key, root: entity.root, fields: entity.fields,
                                     links: entity.links.map { CachedLink(field: $0.field, table: $0.table, candidates: $0.candidates, location: $0.location) })
                    }
                } catch {
                    diagnostics.append(apply(rule.onError, to: error.diagnostic))
                }
            }
        }
        let cached = CachedFile(path: file.path, blob: file.blob, sourceCommit: file.sourceCommit, diagnostics: diagnostics, entities: cachedEntities)
        return (cached, entities)
    }

    /// Each rule of `repo.extract` with its table's name, by index; nil when its table is not declared.
    private func ruleOwners() -> [(rule: ExtractRule, table: String)?] {
        repo.extract.map { rule in tables[rule.table.value].map { (rule, $0.name) } }
    }

    /// The cached entities of one file as pending entities; nil when one names a rule that no
    /// longer exists (then the file is read again).
    private func pending(_ cached: CachedFile, path: String, sourceCommit: String,
                         owners: [(rule: ExtractRule, table: String)?]) -> [PendingEntity]? {
        var entities: [PendingEntity] = []
        entities.reserveCapacity(cached.entities.count)
        for entity in cached.entities {
            guard owners.indices.contains(entity.rule), let owner = owners[entity.rule] else { return nil }
            entities.append(PendingEntity(
                table: owner.table, key: entity.key, repo: repo.name, file: path, root: entity.root, fields: entity.fields,
                links: entity.links.map { PendingLink(field: $0.field, table: $0.table, candidates: $0.candidates, location: $0.location) },
                sourceCommit: sourceCommit, ruleLocation: owner.rule.location, onError: owner.rule.onError))
        }
        return entities
    }

    private func apply(_ policy: ExtractRule.ErrorPolicy, to diagnostic: Diagnostic) -> Diagnostic {
        policy == .skip ? diagnostic.downgraded("file skipped") : diagnostic
    }
}
