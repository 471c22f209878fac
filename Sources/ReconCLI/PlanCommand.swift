import Apply
import Foundation
import Manifest
import Plan
import ReconCore
import State

/// `recon plan`: extract, refresh and diff; print the plan and optionally save it for apply.
struct PlanCommand: Command {
    static let configuration = CommandConfiguration(
        name: "plan",
        abstract: "Show what apply would change, and optionally save the plan",
        usage: "recon plan [-out FILE] [-detailed-exitcode] [--target TABLE[/KEY]]... [--exclude TABLE[/KEY]]... [--repo NAME]... [--format text|json|markdown] [--detail concise|full] [--refresh auto|full]",
        discussion: """
            Extracts the desired records from the repos, reads the base (refresh) and the state, and diffs the
            three: see docs/plan.md for the rules. Nothing in the base or the state is written; extraction caches
            under state/cache/ may be. With -out, the plan is saved as canonical JSON for review and for
            'recon apply FILE', which refuses it if the base, the state or the file changed since. With
            RECON_PLAN_KEY set, the saved file is signed with HMAC-SHA-256 under that key.
            """,
        options: [
            .option("out", value: "FILE", help: "Save the plan to FILE (canonical JSON)"),
            .flag("detailed-exitcode", help: "Exit 0 when there are no changes, 2 when there are, 1 on error"),
            .flag("allow-empty-state", help: "Plan on no state even when the base already holds the manifests' records (takes them over)"),
            .option("target", value: "TABLE[/KEY]", help: "Plan only this table, or one record of it (repeatable)", repeatable: true),
            .option("exclude", value: "TABLE[/KEY]", help: "Leave this table, or one record of it, out of the plan; wins over --target (repeatable)", repeatable: true),
            .option("repo", value: "NAME", help: "Plan only records extracted from this repo (repeatable)", repeatable: true),
            OutputFormat.spec([.text, .json, .markdown]),
            DetailArgument.spec,
            .flag("timings", help: "Print how long each stage took (to stderr)"),
            RefreshArgument.spec,
        ],
        examples: [
            "recon plan",
            "recon plan -out plan.json -detailed-exitcode",
            "recon plan --target Skills --format markdown > plan.md",
            "recon plan --exclude Skills/core:plugins/alpha/skills/draft -out plan.json",
        ])

    let out: String?
    let detailedExitCode: Bool
    let scope: PlanScope
    let format: OutputFormat
    let detail: PlanDetail
    let timings: Bool
    let allowEmptyState: Bool
    let fullRefresh: Bool

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.isEmpty else {
            throw ReconError("'plan' takes no arguments, found '\(arguments.positionals[0])'", hint: "to save the plan use -out FILE")
        }
        out = arguments.value("out")
        detailedExitCode = arguments.has("detailed-exitcode")
        scope = PlanScope(targets: arguments.all("target"), repos: arguments.all("repo"), excludes: arguments.all("exclude"))
        format = try OutputFormat.parse(arguments.value("format"), allowed: [.text, .json, .markdown])
        detail = try DetailArgument.parse(arguments.value("detail"))
        timings = arguments.has("timings")
        allowEmptyState = arguments.has("allow-empty-state")
        fullRefresh = try RefreshArgument.parse(arguments.value("refresh"))
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        if let out { try PlanOutput.check(out, globals: context.globals) }
        let console = context.console
        let hooks = try PlanHooks(manifest: ManifestLoader().load(directory: context.globals.manifests),
                                  environment: context.environment, operation: .plan)
        try hooks.prePlan()
        // Taken before planning reads anything, for the saved plan's receipt (docs/state.md#plan-receipts).
        let receipt = out == nil ? nil : PlanReceiptBasis.take(manifestDirectory: context.globals.manifests, statePath: context.globals.statePath,
                                                               stateDirectory: context.globals.stateDirectory, environment: context.environment)
        var runner = PlanRunner(manifestDirectory: context.globals.manifests, statePath: context.globals.statePath,
                                stateDirectory: context.globals.stateDirectory, environment: context.environment, scope: scope,
                                allowEmptyState: allowEmptyState)
        runner.fullRefresh = fullRefresh
        let outcome = try runner.run()
        DiagnosticView(console: console).warnings(outcome.warnings)
        let plan = outcome.plan
        var stages = outcome.timings
        try stages.measure("write") {
            let signature = out == nil ? nil : try PlanSignature.fromEnvironment(context.environment)
            let saved = try PlanView(console: console, format: format, signature: signature, detail: detail).present(plan, out: out) {
                "Saved the plan to \($0). Apply exactly this plan with: recon apply \($0)"
            }
            if let receipt, let saved { receipt.issue(for: outcome, digest: saved.digest, bodyBytes: saved.bodyBytes) }
        }
        for warning in hooks.postPlan(plan, savedAt: out) {
            console.line(console.style("warning:", .yellow) + " " + ControlEscape.escapedKeepingLines(warning), to: .err)
        }
        if timings { console.line("Timings: \(stages.line)", to: .err) }
        // Shown with the plan, but still an error: a CI gate must not read it as "nothing to do".
        guard plan.integrityErrors.isEmpty else {
            let count = plan.integrityErrors.count
            throw ReconError("the plan found \(count) integrity error\(count == 1 ? "" : "s") in the base (listed above)",
                             hint: "remove the extra records so each key is held by one record, then plan again")
        }
        return detailedExitCode && plan.hasChanges ? .changes : .success
    }
}
