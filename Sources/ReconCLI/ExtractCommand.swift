import Apply
import Extract
import Manifest
import ReconCore

/// `recon extract`: reads the repos the manifests name and prints the desired records.
/// Writes only the extract cache (and url mirrors) under state/, and nothing when an error is found.
struct ExtractCommand: Command {
    static let configuration = CommandConfiguration(
        name: "extract",
        abstract: "Print the desired records extracted from the manifests' git repos",
        usage: "recon extract [--table T] [--repo NAME] [--format text|json]",
        discussion: """
            Resolves each repo's ref to a commit and reads the files its extract rules match from that commit's
            tree (the working tree only with 'worktree: true'). A repo whose commit has not moved since the last
            extraction is answered from state/cache/extract/ without reading a file. Bad files are reported as
            repo:path:line; with any error the exit code is 1 and nothing is written. See docs/extract.md.
            """,
        options: [
            .option("table", value: "T", help: "Print only the records of table T"),
            .option("repo", value: "NAME", help: "Print only the records extracted from repo NAME"),
            OutputFormat.spec([.text, .json]),
        ],
        examples: ["recon extract -m examples/catalog/manifests", "recon extract --table Skills --format json"])

    let table: String?
    let repo: String?
    let format: OutputFormat

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.isEmpty else {
            throw ReconError("'extract' takes no arguments, found '\(arguments.positionals[0])'", hint: "use --table T or --repo NAME to filter")
        }
        table = arguments.value("table")
        repo = arguments.value("repo")
        format = try OutputFormat.parse(arguments.value("format"), allowed: [.text, .json])
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let console = context.console
        let view = ExtractView(console: console)
        do {
            let manifest = try ManifestLoader().load(directory: context.globals.manifests)
            try checkFilters(manifest)
            try StatePlacement.check(manifest, statePath: context.globals.statePath)
            let state = context.globals.stateDirectory
            let result = try Extraction(manifest: manifest, stateDirectory: state, cache: FileExtractCache(stateDirectory: state)).run()
            let records = result.records.filter { record in
                (table == nil || record.table == table) && (repo == nil || record.provenance.repo == repo)
            }
            switch format {
            case .json: ExtractView.json(records: records, result: result) { console.write($0) }
            default:
                console.write(DiagnosticView(console: console).text(result.diagnostics), to: .err)
                console.write(view.text(records: records, result: result))
            }
            return .success
        } catch let error as DiagnosticsError {
            switch format {
            case .json: console.write(DiagnosticView.json(error.diagnostics, valid: false))
            default:
                console.write(DiagnosticView(console: console).text(error.diagnostics), to: .err)
                console.line("\(count(error.errors.count, "error")) found; nothing was written.", to: .err)
            }
            return .failure
        }
    }

    private func checkFilters(_ manifest: Manifest) throws(ReconError) {
        if let table, manifest.table(named: table) == nil {
            let names = manifest.tables.map(\.name)
            throw ReconError("--table '\(table)' is not a table of the manifests",
                             hint: Suggestion.hint(table, among: names, known: "declared tables: " + names.joined(separator: ", ")))
        }
        if let repo, !manifest.repos.contains(where: { $0.name == repo }) {
            let names = manifest.repos.map(\.name)
            throw ReconError("--repo '\(repo)' is not a repo of the manifests",
                             hint: Suggestion.hint(repo, among: names, known: "declared repos: " + names.joined(separator: ", ")))
        }
    }
}
