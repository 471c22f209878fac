import Apply
import Plan
import ReconCore

/// `recon drift`: what changed in the base outside Recon since the last apply. For nightly jobs.
struct DriftCommand: Command {
    static let configuration = CommandConfiguration(
        name: "drift",
        abstract: "Report changes made in the base outside Recon",
        usage: "recon drift [--full] [--format text|json|markdown]",
        discussion: """
            Reads the base (refresh) and compares it with the state: records and fields changed or deleted in
            the base since the last apply, and tables or fields deleted, renamed or retyped. Reads no repo and
            writes nothing to the base or the state; each check is kept in the run history (state/runs/, operation
            drift, kept under retention.drift_checks) with its counts, for 'recon runs' and 'recon report'.
            Exits 2 when there is drift, 0 when there is none, 1 on error.
            """,
        options: [OutputFormat.spec([.text, .json, .markdown]),
                  .flag("full", help: "Read every record even when nothing changed since the last check that found no drift"),
                  RefreshArgument.spec],
        examples: ["recon drift", "recon drift --format markdown > drift.md || test $? -eq 2"])

    let format: OutputFormat
    let fullRefresh: Bool

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.isEmpty else { throw ReconError("'drift' takes no arguments") }
        format = try OutputFormat.parse(arguments.value("format"), allowed: [.text, .json, .markdown])
        fullRefresh = try arguments.has("full") || RefreshArgument.parse(arguments.value("refresh"))
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let console = context.console
        var runner = DriftRunner(manifestDirectory: context.globals.manifests, statePath: context.globals.statePath,
                                 environment: context.environment)
        runner.fullRefresh = fullRefresh
        let outcome = try runner
            .check(recordingIn: RunLayout(stateDirectory: context.globals.stateDirectory))
        let report = outcome.report
        if let note = outcome.historyNote { console.line(console.style("note:", .yellow) + " " + note, to: .err) }
        switch format {
        case .json: console.write(DriftRenderer.json(report))
        case .markdown: console.write(DriftRenderer.markdown(report))
        case .text: console.write(DriftRenderer.text(report, color: console.colorEnabled))
        }
        return report.isEmpty ? .success : .changes
    }
}
