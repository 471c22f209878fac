import Apply
import Foundation
import Manifest
import ReconCore

/// `recon runs`: the history of apply and rollback runs, newest first, from `state/runs/`.
struct RunsCommand: Command {
    static let configuration = CommandConfiguration(
        name: "runs",
        abstract: "List past apply and rollback runs",
        usage: "recon runs [--base BASE] [--limit N] [--format text|json]",
        discussion: """
            Reads the run ledgers under state/runs/ and lists each run, newest first: its id (for 'recon
            rollback RUN'), operation, status, start time, duration, counters and target (the base it wrote to,
            as `sqlite:<database>` or `airtable:<base>`); --base keeps the runs of one target. A run whose ledger still says
            running but whose lease is gone is shown as interrupted: its process was killed; plan again to see
            what is left. With the state in PostgreSQL, the runs of the manifests' target are read from the
            state's schema, the same from every clone. Reads nothing else and writes nothing.
            """,
        options: [
            .option("base", value: "BASE", help: "Only the runs of this target: airtable:appXXX or appXXX, sqlite:FILE or FILE"),
            .option("limit", value: "N", help: "Show only the N newest runs"),
            OutputFormat.spec([.text, .json]),
        ],
        examples: ["recon runs", "recon runs --limit 5", "recon runs --base appDEV", "recon runs --format json | jq '.runs[0].status'"])

    let limit: Int?
    let base: String?
    let format: OutputFormat

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.isEmpty else {
            throw ReconError("'runs' takes no arguments, found '\(arguments.positionals[0])'", hint: "usage: recon runs [--base BASE] [--limit N]")
        }
        if let text = arguments.value("limit") {
            guard let number = Int(text), number > 0 else {
                throw ReconError("invalid --limit '\(text)'", hint: "expected a whole number above 0")
            }
            limit = number
        } else {
            limit = nil
        }
        base = arguments.value("base")
        format = try OutputFormat.parse(arguments.value("format"), allowed: [.text, .json])
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let layout = RunLayout(stateDirectory: context.globals.stateDirectory)
        let runs = try RunsCommand.store(context, layout: layout)
        var listing = runs.listing()
        if let base { listing.runs = listing.runs.filter { RunsCommand.target($0.record.target, matches: base) } }
        if let limit { listing.runs = Array(listing.runs.prefix(limit)) }
        let view = RunsView(console: context.console)
        switch format {
        case .json:
            context.console.write(view.json(listing))
        default:
            context.console.write(view.text(listing.runs, runsDirectory: runs.location, inFolder: runs is LocalRunStore, base: base))
            for (path, reason) in listing.unreadable {
                context.console.line(context.console.style("note:", .yellow) + " skipped \(path): \(reason)", to: .err)
            }
        }
        return .success
    }

    /// The runs of the manifests' state backend (PostgreSQL keeps them in the state's schema); the run
    /// folders under the state directory when there are no manifests to say.
    static func store(_ context: CommandContext, layout: RunLayout) throws -> any RunStore {
        let chosen = context.environment[StateBackendChoice.backendEnvironment].map { !$0.isEmpty } ?? false
        guard chosen || FileManager.default.fileExists(atPath: context.globals.manifests) else { return LocalRunStore(layout: layout) }
        let manifest = try ManifestLoader().load(directory: context.globals.manifests)
        return try StateBackendChoice.selected(manifest, statePath: context.globals.statePath, environment: context.environment)
            .runStore(layout: layout)
    }

    /// `base` names the whole target (`airtable:appX`) or what follows its provider (`appX`).
    static func target(_ target: String, matches base: String) -> Bool {
        target == base || target.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) == base
    }
}
