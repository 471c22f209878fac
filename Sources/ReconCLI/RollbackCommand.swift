import Apply
import Plan
import ReconCore
import State

/// `recon rollback RUN`: the plan that returns what a run touched to its before-image.
struct RollbackCommand: Command {
    static let configuration = CommandConfiguration(
        name: "rollback",
        abstract: "Plan the undoing of a run, for review and apply",
        usage: "recon rollback RUN [-out FILE] [--format text|json|markdown] [--detail concise|full]",
        discussion: """
            Reads what the run committed and its backup (state/runs/RUN/), reads the base, and makes an ordinary
            plan that deletes what the run created, restores what it changed and recreates what it deleted. A
            record changed since the run is a conflict, shown and left alone: roll back the later runs first,
            newest first. Tables and fields the run created are listed as manual steps: Recon never deletes
            schema. Nothing is written but the plan file; apply it with 'recon apply FILE' like any plan.
            'recon runs' lists the runs.
            """,
        options: [
            .option("out", value: "FILE", help: "Save the rollback plan to FILE"),
            OutputFormat.spec([.text, .json, .markdown]),
            DetailArgument.spec,
        ],
        examples: ["recon runs", "recon rollback 20261123T041500Z-3fa2c1 -out rollback.json", "recon apply rollback.json"])

    let runID: String
    let out: String?
    let format: OutputFormat
    let detail: PlanDetail

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1 else {
            throw ReconError("'rollback' needs the id of the run to undo", hint: "'recon runs' lists them; usage: recon rollback RUN")
        }
        runID = arguments.positionals[0]
        out = arguments.value("out")
        format = try OutputFormat.parse(arguments.value("format"), allowed: [.text, .json, .markdown])
        detail = try DetailArgument.parse(arguments.value("detail"))
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        if let out { try PlanOutput.check(out, globals: context.globals) }
        let console = context.console
        let plan = try RollbackRunner(runsDirectory: RunLayout(stateDirectory: context.globals.stateDirectory).runsDirectory,
                                      manifestDirectory: context.globals.manifests, statePath: context.globals.statePath,
                                      environment: context.environment).run(runID: runID)
        let signature = out == nil ? nil : try PlanSignature.fromEnvironment(context.environment)
        try PlanView(console: console, format: format, signature: signature, detail: detail).present(plan, out: out) {
            "Saved the rollback plan to \($0). Apply it with: recon apply \($0)"
        }
        if out == nil, format == .text, plan.hasChanges {
            console.line("\nTo roll back, save this plan with -out FILE and apply it with 'recon apply FILE'.")
        }
        return .success
    }
}
