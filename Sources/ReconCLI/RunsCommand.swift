import Apply
import Foundation
import Manifest
import ReconCore

/// `recon runs`: the history of apply and rollback runs and drift checks, newest first, from `state/runs/`.
struct RunsCommand: Command {
    static let configuration = CommandConfiguration(
        name: "runs",
        abstract: "List past apply and rollback runs and drift checks; show, export and verify one",
        usage: "recon runs [--base BASE] [--limit N] [--format text|json] | runs show RUN | runs export RUN | runs verify FILE",
        discussion: """
            Reads the run ledgers under state/runs/ and lists each run and drift check, newest first: its id (for
            'recon rollback RUN'), operation (apply, rollback, drift), status, start time, duration, counters and target (the base it wrote to,
            as `sqlite:<database>`, `airtable:<base>` or `postgres:<host>/<database>/<schema>`); --base keeps the runs of one target. A run whose ledger still says
            running but whose lease is gone is shown as interrupted: its process was killed; plan again to see
            what is left. With the state in PostgreSQL, the runs of the manifests' target are read from the
            state's schema, the same from every clone. Reads nothing else and writes nothing.

            'runs show RUN' prints one run: phases with timings, counters, outcomes (the first --limit, default
            \(RunEvidenceCommand.shownOutcomes), in text; all of them with --format json), hook output and the plan's
            findings. 'runs export RUN' prints its evidence bundle: one canonical JSON document with the plan,
            the before-images, the ledger and the outcomes, and a SHA-256 over it. 'runs verify FILE' checks a
            bundle: exit 0 when intact, 1 naming what differs (the digest, and each part that differs from the
            run on disk when the run is still here).
            """,
        options: [
            .option("base", value: "BASE", help: "Only the runs of this target: airtable:appXXX or appXXX, sqlite:FILE or FILE"),
            .option("limit", value: "N", help: "Show only the N newest runs"),
            OutputFormat.spec([.text, .json]),
        ],
        examples: ["recon runs", "recon runs --limit 5", "recon runs --base appDEV", "recon runs --format json | jq '.runs[0].status'",
                   "recon runs show 20261123T041500Z-1a2b3c", "recon runs export 20261123T041500Z-1a2b3c > bundle.json",
                   "recon runs verify bundle.json"],
        verbs: RunsAction.verbs)

    let limit: Int?
    let base: String?
    let format: OutputFormat
    let action: RunsAction

    init(arguments: ParsedArguments) throws {
        action = try RunsAction.parse(arguments.positionals)
        if let text = arguments.value("limit") {
            guard let number = Int(text), number > 0 else {
                throw ReconError("invalid --limit '\(text)'", hint: "expected a whole number above 0")
            }
            limit = number
        } else {
            limit = nil
        }
        base = arguments.value("base")
        if action != .list, base != nil {
            throw ReconError("--base filters the listing; 'runs show', 'export' and 'verify' name one run", hint: "drop --base")
        }
        format = try OutputFormat.parse(arguments.value("format"), allowed: [.text, .json])
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let layout = RunLayout(stateDirectory: context.globals.stateDirectory)
        let runs = try RunsCommand.store(context, layout: layout)
        guard action == .list else {
            return try RunEvidenceCommand(action: action, format: format, limit: limit).run(runs: runs, console: context.console)
        }
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
