import Apply
import Manifest
import ReconCore
import State

/// `recon prune`: removes old runs, backups and state versions by the manifests' `retention` policy.
struct PruneCommand: Command {
    static let configuration = CommandConfiguration(
        name: "prune",
        abstract: "Remove old runs, backups and state versions by the retention policy",
        usage: "recon prune [--dry-run] [--lock-timeout DURATION] [--format text|json]",
        discussion: """
            Applies the manifests' retention section (runs.keep_last, backups.keep_last and max_age_days,
            state_versions.keep_last) to state/runs/ and state/history/ (the runs in the state's schema when
            it is kept in PostgreSQL). Never removes the newest run, backup or
            state version, nor a run whose ledger says running, and takes the lock while it works, so it never
            runs beside an apply. With --dry-run it prints what would be removed and removes nothing.
            Apply prunes the same way after each run.
            """,
        options: [
            .flag("dry-run", help: "Print what would be removed; remove nothing"),
            .option("lock-timeout", value: "DURATION", help: "Wait up to DURATION (90, 30s, 5m) for the lock instead of failing at once"),
            OutputFormat.spec([.text, .json]),
        ],
        examples: ["recon prune --dry-run", "recon prune", "recon prune --format json"])

    let dryRun: Bool
    let lockTimeout: Double?
    let format: OutputFormat

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.isEmpty else {
            throw ReconError("'prune' takes no arguments, found '\(arguments.positionals[0])'",
                             hint: "the policy comes from the manifests' retention section")
        }
        dryRun = arguments.has("dry-run")
        lockTimeout = try arguments.value("lock-timeout").map { try DurationArgument.seconds($0, flag: "lock-timeout") }
        format = try OutputFormat.parse(arguments.value("format"), allowed: [.text, .json])
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let console = context.console
        let manifest = try ManifestLoader().load(directory: context.globals.manifests)
        try StatePlacement.check(manifest, statePath: context.globals.statePath)
        let layout = RunLayout(stateDirectory: context.globals.stateDirectory)
        let backend = try StateBackendChoice.selected(manifest, statePath: context.globals.statePath, environment: context.environment)
        let pruner = RetentionPruner(policy: manifest.retention, layout: layout, history: backend.localHistory.map { _ in StateStore(path: context.globals.statePath).history },
                                     runs: backend.runStore(layout: layout))
        let report: RetentionPruner.Report
        if dryRun {
            report = try pruner.prune(dryRun: true)
        } else {
            let lease = try backend.lock(operation: "prune", layout: layout, wait: lockTimeout)
            defer { try? lease.release() }
            for note in lease.notes { console.line(console.style("note:", .yellow) + " " + note, to: .err) }
            report = try pruner.prune(leaseID: lease.id)
        }
        switch format {
        case .json: console.write(PruneCommand.json(report))
        default: console.write(PruneCommand.text(report, console: console))
        }
        return .success
    }

    static func text(_ report: RetentionPruner.Report, console: Console) -> String {
        var out = ""
        for note in report.notes { out += console.style("note:", .yellow) + " \(note)\n" }
        guard !report.removed.isEmpty else {
            return out + "Nothing to prune: everything is within the retention policy.\n"
        }
        let kinds = RetentionPruner.Kind.allCases.compactMap { kind -> String? in
            let number = report.removed.filter { $0.kind == kind }.count
            return number == 0 ? nil : count(number, kind.rawValue.replacingOccurrences(of: "_", with: " "))
        }
        out += "\(report.dryRun ? "Would remove" : "Removed") \(kinds.joined(separator: ", ")):\n"
        let kindWidth = report.removed.map(\.kind.rawValue.count).max() ?? 0
        let pathWidth = report.removed.map(\.path.count).max() ?? 0
        for removal in report.removed {
            out += "  " + removal.kind.rawValue.padding(toLength: kindWidth, withPad: " ", startingAt: 0) + "  "
                + removal.path.padding(toLength: pathWidth, withPad: " ", startingAt: 0) + "  " + removal.reason + "\n"
        }
        if report.dryRun { out += "Nothing was removed (--dry-run).\n" }
        return out
    }

    static func json(_ report: RetentionPruner.Report) -> [UInt8] {
        let removed: [JSONValue] = report.removed.map {
            .object(["kind": .string($0.kind.rawValue), "path": .string($0.path), "reason": .string($0.reason)])
        }
        let document: JSONValue = ["format_version": 1, "dry_run": .bool(report.dryRun), "removed": .array(removed),
                                   "notes": .array(report.notes.map(JSONValue.string))]
        return document.canonicalBytes(pretty: true)
    }
}
