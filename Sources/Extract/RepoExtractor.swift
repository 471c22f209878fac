import Manifest
import ReconCore

/// Reads one repo afresh: matches files to rules, parses each once per format, builds entities,
/// and applies each rule's error policy (fail: an error; skip: a warning and the file is left out).
struct RepoExtractor {
    let repo: RepoSpec
    let tables: [String: TableSpec]
    let limits: ExtractLimits

    struct Output {
        var entities: [PendingEntity] = []
        var diagnostics: [Diagnostic] = []
        var filesRead = 0
    }

    /// A rule ready to match paths.
    private struct CompiledRule {
        var rule: ExtractRule
        var table: TableSpec
        var files: [GlobPattern]
        var exclude: [GlobPattern]

        func matches(_ path: String) -> Bool {
            files.contains { $0.matches(path) } && !exclude.contains { $0.matches(path) }
        }
    }

    func extract(from repository: GitRepository, commit: String) throws -> Output {
        let rules = repo.extract.compactMap { rule in
            tables[rule.table.value].map {
                CompiledRule(rule: rule, table: $0, files: rule.files.map(GlobPattern.init), exclude: rule.exclude.map(GlobPattern.init))
            }
        }
        var output = Output()
        let reader = RepoReader(name: repo.name, repository: repository, limits: limits)
        let notes = try reader.read(commit: commit, worktree: repo.worktree, wanted: { path in rules.contains { $0.matches(path) } }) { file in
            output.filesRead += 1
            var documents: [ExtractRule.Format: Result<SourceDocument, SourceDocument.Failure>] = [:]
            for compiled in rules where compiled.matches(file.path) {
                let rule = compiled.rule
                let parsed = documents[rule.format] ?? Result { () throws(SourceDocument.Failure) in try SourceDocument(file, format: rule.format) }
                let firstUse = documents[rule.format] == nil
                documents[rule.format] = parsed
                do throws(EntityBuilder.Failure) {
                    let document: SourceDocument
                    switch parsed {
                    case .success(let success): document = success
                    case .failure(let failure):
                        // One report per file and format, however many rules read it.
                        if firstUse { output.diagnostics.append(apply(rule.onError, to: failure.diagnostic)) }
                        continue
                    }
                    let builder = EntityBuilder(repo: repo.name, rule: rule, table: compiled.table)
                    output.entities += try builder.entities(from: file, document: document)
                } catch {
                    output.diagnostics.append(apply(rule.onError, to: error.diagnostic))
                }
            }
        }
        output.diagnostics += notes
        return output
    }

    private func apply(_ policy: ExtractRule.ErrorPolicy, to diagnostic: Diagnostic) -> Diagnostic {
        policy == .skip ? diagnostic.downgraded("file skipped") : diagnostic
    }
}
