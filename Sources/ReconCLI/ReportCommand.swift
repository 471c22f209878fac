import Apply
import ReconCore
import Report

/// `recon report`: a static page of how the catalog has been doing, from the state, the run ledger,
/// the drift history and the lock. Reads the base not at all.
struct ReportCommand: Command {
    static let configuration = CommandConfiguration(
        name: "report",
        abstract: "Write a static HTML page of the runs, drift checks, tables and lock",
        usage: "recon report [--out DIR]",
        discussion: """
            Writes DIR/index.html (default: report/ beside the state, state/report/): one self-contained page,
            no script and no external asset, with the lock's status, per-table counts (managed records, unmanaged
            records as the newest 'recon drift' counted them, protected fields), charts of records created,
            updated and deleted per run, of run duration and of drift checks, the runs newest first (100 per page;
            older ones on runs-2.html and on), and the retention settings with what they keep. Reads the state
            where every command does (local or PostgreSQL) and the run history under state/runs/; never the base.
            Files are written 0600; a folder whose index.html another tool wrote is refused. See docs/report.md.
            """,
        options: [.option("out", value: "DIR", help: "Write the pages into DIR (default: report/ beside the state)")],
        examples: ["recon report", "recon report --out public/recon"])

    let out: String?

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.isEmpty else {
            throw ReconError("'report' takes no arguments, found '\(ControlEscape.escaped(arguments.positionals[0]))'",
                             hint: "usage: recon report [--out DIR]")
        }
        if let out = arguments.value("out"), out.isEmpty { throw ReconError("--out needs a folder", hint: "e.g. --out state/report") }
        out = arguments.value("out")
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let globals = context.globals
        let layout = RunLayout(stateDirectory: globals.stateDirectory)
        let directory = out ?? "\(globals.stateDirectory)/\(ReportWriter.defaultFolderName)"
        if out == nil { try StateFolderGuard.require(directory, below: globals.stateDirectory) }
        try ReportWriter.check(directory)
        let model = try ReportData.load(manifestDirectory: globals.manifests, statePath: globals.statePath, layout: layout,
                                        environment: context.environment)
        let pages = ReportRenderer().pages(model)
        let written = try ReportWriter.write(pages, to: directory)
        context.console.line("Wrote \(ControlEscape.escaped(written[0])): \(model.runs.count) runs and drift checks"
            + (pages.count > 1 ? " on \(pages.count) pages" : "") + ".")
        return .success
    }
}
