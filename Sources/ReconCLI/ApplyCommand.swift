import Apply
import Foundation
import Manifest
import Plan
import ReconCore
import State

/// `recon apply [PLANFILE]`: applies a reviewed plan, or plans and asks first.
struct ApplyCommand: Command {
    static let configuration = CommandConfiguration(
        name: "apply",
        abstract: "Apply a saved plan, or plan and apply after confirmation",
        usage: "recon apply [PLANFILE] [--allow CODE[,CODE]] [--auto-approve] [--lock-timeout DURATION] [--max-seconds DURATION] [--batch-size N] [--json] [--detail concise|full] [--refresh auto|full]",
        discussion: """
            With PLANFILE, applies exactly that reviewed plan; it is refused if the file was edited (it is made
            again and must match, unless this build saved it here and its receipt in state/cache/plan-receipts
            vouches for it), if the state or a repo moved, or if any record it touches changed in the base
            since it was made, and refused while its checks find errors (docs/checks.md) that --allow does not
            name. With RECON_PLAN_KEY set, the plan must be signed with that key. Without one, plans
            (as 'recon plan') and asks for confirmation on a terminal; with no terminal it refuses unless
            --auto-approve is given.

            Takes the lock (state/.lock, or the PostgreSQL lock when the state is kept there), backs up what the plan touches under state/runs/<run-id>/, then
            writes schema, creates, updates, links to new records and deletes, in batches; the state is saved
            after every batch. SIGINT or SIGTERM finish the batch in flight, save the state and exit 130.
            """,
        options: [
            .flag("auto-approve", help: "Apply without asking (needed when input is not a terminal)"),
            AllowArgument.spec,
            .option("lock-timeout", value: "DURATION", help: "Wait up to DURATION (90, 30s, 5m) for the lock instead of failing at once"),
            .option("max-seconds", value: "DURATION", help: "Stop after the batch in flight once the writing has taken DURATION (90, 30s, 5m), as for SIGINT"),
            .option("batch-size", value: "N", help: "Records per batch, at most the provider's limit"),
            .flag("json", help: "Print one JSON event per line instead of text"),
            DetailArgument.spec,
            .flag("timings", help: "Print how long each stage and phase took (to stderr)"),
            .flag("allow-empty-state", help: "Without PLANFILE: plan on no state even when the base already holds the manifests' records (takes them over)"),
            .option("target", value: "TABLE[/KEY]", help: "Without PLANFILE: plan only this table or record (repeatable)", repeatable: true),
            .option("exclude", value: "TABLE[/KEY]", help: "Without PLANFILE: leave this table or record out; wins over --target (repeatable)", repeatable: true),
            .option("repo", value: "NAME", help: "Without PLANFILE: plan only this repo's records (repeatable)", repeatable: true),
            RefreshArgument.spec,
        ],
        examples: ["recon apply", "recon plan -out plan.json && recon apply plan.json",
                   "recon apply --auto-approve --lock-timeout 5m --json > apply.log"])

    let planFile: String?
    let autoApprove: Bool
    let lockTimeout: Double?
    let maxSeconds: Double?
    let batchSize: Int?
    let json: Bool
    let detail: PlanDetail
    let timings: Bool
    let scope: PlanScope
    let allow: Set<CheckCode>
    let allowEmptyState: Bool
    let fullRefresh: Bool

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.count <= 1 else { throw ReconError("'apply' takes at most one plan file") }
        planFile = arguments.positionals.first
        autoApprove = arguments.has("auto-approve")
        lockTimeout = try arguments.value("lock-timeout").map { try DurationArgument.seconds($0, flag: "lock-timeout") }
        maxSeconds = try arguments.value("max-seconds").map { try DurationArgument.seconds($0, flag: "max-seconds") }
        batchSize = try arguments.value("batch-size").map { text in
            guard let size = Int(text), size > 0 else { throw ReconError("invalid --batch-size '\(text)'", hint: "expected a whole number of at least 1") }
            return size
        }
        json = arguments.has("json")
        detail = try DetailArgument.parse(arguments.value("detail"))
        timings = arguments.has("timings")
        scope = PlanScope(targets: arguments.all("target"), repos: arguments.all("repo"), excludes: arguments.all("exclude"))
        allow = try AllowArgument.codes(arguments.all("allow"))
        allowEmptyState = arguments.has("allow-empty-state")
        fullRefresh = try RefreshArgument.parse(arguments.value("refresh"))
        if planFile != nil, fullRefresh {
            throw ReconError("--refresh applies only when apply makes its own plan", hint: "a saved plan is checked against the base record by record anyway")
        }
        if planFile != nil, !scope.isAll {
            throw ReconError("--target, --exclude and --repo apply only when apply makes its own plan", hint: "a saved plan is applied whole; make it with 'recon plan --exclude … -out FILE'")
        }
    }

    /// With `--json`, the stream opens with `start` and a failure closes it with `error` (see `EventStream`).
    func run(_ context: CommandContext) throws -> ExitCode {
        guard json else { return try execute(context) }
        let events = EventStream(console: context.console)
        events.start(command: Self.configuration.name)
        do {
            let code = try execute(context)
            if code == .failure {
                events.error(ReconError("apply cancelled at the prompt: nothing was changed"), exitCode: code, code: .notConfirmed)
            }
            return code
        } catch {
            events.error(error, exitCode: .failure)
            throw error
        }
    }

    private func execute(_ context: CommandContext) throws -> ExitCode {
        let console = context.console
        let manifest = try ManifestLoader().load(directory: context.globals.manifests)
        let signature = planFile == nil ? nil : try PlanSignature.fromEnvironment(context.environment)
        var savedPlan: Plan?
        var savedFile: RunPlanFile?
        var stages = StageTimings()
        if let planFile {
            // The bytes go to the run alone (which lets them go once backed up); here only the plan is kept.
            // A receipt of this state folder may vouch for the body's bytes: then their canonical digest is not taken again.
            let vouched = PlanFileVouch.receipts(stateDirectory: context.globals.stateDirectory)
            let verified = try stages.measure("read") { try PlanView.readVerified(planFile, signature: signature, vouched: vouched) }
            if let seconds = verified.receiptSeconds { stages.record("read.receipt", seconds: seconds) }
            savedPlan = verified.plan
            savedFile = RunPlanFile(verified)
        }
        // Refused before the lock from the findings the file records; the session checks them again once re-derived.
        if let savedPlan { try CheckRefusal.verify(savedPlan, allowing: allow) }
        let cancellation = CancellationSignal.install(maxSeconds: maxSeconds)
        defer { cancellation.uninstall() }
        try StatePlacement.check(manifest, statePath: context.globals.statePath)
        let layout = RunLayout(stateDirectory: context.globals.stateDirectory)
        if json {
            WaitNotice.setHandler { notice in
                console.line(ControlEscape.escapedKeepingLines(notice.line), to: .err)
                EventStream(console: console).wait(notice)
            }
        }
        let backend = try StateBackendChoice.selected(manifest, statePath: context.globals.statePath, environment: context.environment)
        let lease: any StateLock
        do {
            lease = try backend.lock(operation: "apply", layout: layout, wait: lockTimeout, stopWaiting: { cancellation.isCancelled })
        } catch where cancellation.reason != nil {
            return cancelledEarly(cancellation, while: "waiting for the lock", console: console)
        }
        defer { try? lease.release() }
        for note in lease.notes { console.line("note: \(note)", to: .err) }

        var plan: Plan
        var refreshed: Refreshed?
        if let savedPlan {
            plan = savedPlan
            if !json {
                console.line("Applying the saved plan \(planFile!): \(plan.summary.line).")
                if let note = PlanPresentation.scopeNote(plan.scope) { console.line(note) }
            }
        } else {
            let hooks = PlanHooks(manifest: manifest, environment: context.environment, operation: .apply,
                                  onResult: json ? { EventStream(console: console).hook($0) } : nil)
            try hooks.prePlan()
            let outcome: PlanRunner.Outcome
            do {
                var runner = PlanRunner(manifestDirectory: context.globals.manifests, statePath: context.globals.statePath,
                                        stateDirectory: context.globals.stateDirectory, environment: context.environment, scope: scope,
                                        allowEmptyState: allowEmptyState,
                                        // Read again only when a pre_plan hook ran: it may write the manifests.
                                        manifest: manifest.hooks(at: .prePlan).isEmpty ? manifest : nil)
                runner.fullRefresh = fullRefresh
                outcome = try runner.run()
            } catch where cancellation.reason != nil {
                // A signal stops git and the refresh; what failed because of it is not the news.
                return cancelledEarly(cancellation, while: "planning", console: console)
            }
            DiagnosticView(console: console).warnings(outcome.warnings)
            plan = outcome.plan
            refreshed = outcome.refreshed
            stages = outcome.timings
            if !json { console.write(PlanTextRenderer(color: console.colorEnabled, detail: detail).render(plan)) }
            for warning in hooks.postPlan(plan, savedAt: nil) {
                if json {
                    EventStream(console: console).emit(.warning, ["message": .string(warning)])
                } else {
                    console.line(console.style("warning:", .yellow) + " " + ControlEscape.escapedKeepingLines(warning), to: .err)
                }
            }
            guard !outcome.sealed, plan.hasChanges || plan.changesState(from: outcome.state) else {
                if json { EventStream(console: console).emit(.done, ["status": "no_changes", "exit_code": 0]) }
                return .success
            }
            try CheckRefusal.verify(plan, allowing: allow)
            guard try confirm(console) else {
                console.line("Apply cancelled: nothing was changed.", to: .err)
                return .failure
            }
        }
        let view = ApplyView(console: console, json: json)
        let session = ApplySession(manifest: manifest, layout: layout, statePath: context.globals.statePath,
                                   environment: context.environment, batchSize: batchSize,
                                   manifestDirectory: context.globals.manifests)
        let result: ApplySession.Outcome
        do {
            result = try session.apply(plan, refreshed: refreshed, file: savedFile, lease: lease, cancellation: cancellation,
                                       observer: view, allow: allow)
        } catch {
            view.finish()
            throw error
        }
        view.finish()
        // The plan (100,000 changes at 100k) is freed by the process's exit, not change by change before it.
        ExitHold.keep(plan)
        report(result, cancellation: cancellation, console: console)
        if timings {
            for stage in view.timings.stages {
                stages.record(stage.name, seconds: stage.seconds)
                // How a saved plan was checked, a part of preflight: `preflight.receipt` or `preflight.rederive`.
                if stage.name == ApplyPhase.preflight.rawValue, let check = result.planCheck {
                    stages.record("preflight.\(check.method.rawValue)", seconds: check.seconds)
                }
            }
            console.line("Timings: \(stages.line)", to: .err)
        }
        return result.status == .cancelled ? .cancelled : .success
    }

    /// An interrupt before the session started: nothing was written, not even a run ledger.
    private func cancelledEarly(_ cancellation: CancellationSignal, while stage: String, console: Console) -> ExitCode {
        let why = cancellation.reason.map { "\($0)" } ?? "cancelled"
        if json {
            EventStream(console: console).emit(.done, ["status": "cancelled", "reason": .string(why),
                                                       "exit_code": .number(Double(ExitCode.cancelled.rawValue))])
        } else {
            console.line(console.style("Apply cancelled", .yellow) + " (\(why)) while \(stage): nothing was changed.")
        }
        return .cancelled
    }

    private func confirm(_ console: Console) throws -> Bool {
        if autoApprove { return true }
        guard console.stdinIsTerminal else {
            throw ReconError("refusing to apply without confirmation: input is not a terminal",
                             hint: "review the plan, then run 'recon apply --auto-approve', or save it with 'recon plan -out FILE' and 'recon apply FILE'")
        }
        console.write("\nDo you want to apply these changes?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
        return console.readLine()?.trimmingCharacters(in: .whitespaces) == "yes"
    }

    private func report(_ result: ApplySession.Outcome, cancellation: CancellationSignal, console: Console) {
        if json {
            let exitCode = result.status == .cancelled ? ExitCode.cancelled : .success
            EventStream(console: console).emit(.done, [
                "status": .string(result.status.rawValue), "run_id": .string(result.runID),
                "created": .number(Double(result.counters.created)), "updated": .number(Double(result.counters.updated)),
                "deleted": .number(Double(result.counters.deleted)), "archived": .number(Double(result.counters.archived)),
                "adopted": .number(Double(result.counters.adopted)), "skipped": .number(Double(result.counters.skipped)),
                "serial": .number(Double(result.serial)), "exit_code": .number(Double(exitCode.rawValue)),
            ])
            return
        }
        for note in result.notes { console.line("note: \(note)", to: .err) }
        let schema = result.schemaChanges > 0 ? ", \(result.schemaChanges) schema change\(result.schemaChanges == 1 ? "" : "s")" : ""
        switch result.status {
        case .cancelled:
            let why = cancellation.reason.map { "\($0)" } ?? "the lock was lost"
            if result.wroteNothing {
                let again = planFile.map { " The plan \($0) can still be applied." } ?? ""
                console.line(console.style("Apply cancelled", .yellow) + " (\(why)) before its first write: nothing was changed.\(again) Run \(result.runID).")
            } else {
                console.line(console.style("Apply cancelled", .yellow) + " (\(why)) after \(result.counters.summaryLine)\(schema). "
                    + "The state records exactly that; run 'recon plan' to see what is left. Run \(result.runID).")
            }
        default:
            console.line(console.style("Apply complete!", .green) + " \(result.counters.summaryLine)\(schema). Run \(result.runID).")
        }
        if let pruned = result.pruned, !pruned.removed.isEmpty {
            // Listed here: they are gone, so no later command could list them.
            console.line("Retention removed \(pruned.removed.count) old item\(pruned.removed.count == 1 ? "" : "s"):")
            for removal in pruned.removed.prefix(10) { console.line("  \(removal.kind.rawValue)  \(removal.path)  \(removal.reason)") }
            if pruned.removed.count > 10 { console.line("  and \(pruned.removed.count - 10) more, by the same rules") }
        }
    }
}
