import Extract
import Manifest
import Plan
import ReconCore
import State

/// Before a saved plan is applied, it is made again from the manifests, the state and the base records preflight
/// read, and refused unless every change in it is one the planner makes now: a digest only proves the file is
/// whole, not that its changes came from the planner. Rollback plans are made again by the rollback planner.
struct SavedPlanCheck {
    var manifest: Manifest
    var stateDirectory: String
    /// Set to check rollback plans (`rollback_of`); without it they are refused.
    var rollback: RollbackRunner?
    /// Where the target's runs are, for in-flight recovery.
    var runs: any RunStore

    /// Throws `StalePlanError` when a repo moved since planning, `PlanRefusal(.notDerivable)` naming every change
    /// that differs, or findings other than the checks make now. Writes nothing but extraction caches.
    func verify(_ plan: Plan, preflight: Applier.Preflight) throws {
        let state = preflight.state ?? StateModel(lineage: "", target: manifest.target.identifier)
        let derived: Plan
        var findings = plan.findings
        if let run = plan.rollbackOf {
            guard let rollback else { throw PlanRefusal(.notDerivable, reasons: ["the rollback plan of run \(run) cannot be checked here"]) }
            derived = try PlanFile.roundTrip(rollback.run(runID: run, state: preflight.state))
        } else {
            (derived, findings) = try replan(plan, state: state, preflight: preflight)
        }
        var reasons = PlanDerivation.differences(saved: plan, derived: derived, manifest: manifest, state: state)
        if findings != plan.findings {
            reasons.append("the plan's check findings are not those the checks find now (\(findings.count) now, \(plan.findings.count) in the plan)")
        }
        if !reasons.isEmpty { throw PlanRefusal(.notDerivable, reasons: reasons) }
    }

    /// The derived plan, and the findings the checks make now of the saved plan's changes.
    private func replan(_ plan: Plan, state: StateModel, preflight: Applier.Preflight) throws -> (Plan, [CheckFinding]) {
        let desired = DesiredExtraction(manifest: manifest, stateDirectory: stateDirectory)
        let first = try desired.extract(rereadingReposOf: plan)
        // As planning did: with the records a killed run created but never recorded (those the plan touches were read).
        let (state, _) = InFlightRecovery(runs: runs, manifest: manifest)
            .recover(state, desired: first.records, schema: preflight.before.schema, records: preflight.read.mapValues { Array($0.values) })
        let derive = { (extraction: ExtractResult) throws -> Plan in
            try PlanDerivation.derive(plan, manifest: manifest, desired: extraction.records, state: state,
                                      schema: preflight.before.schema, records: preflight.read,
                                      repoCommits: Self.commits(extraction))
        }
        let (extraction, derived) = try desired.confirm(first, planFirst: { try derive(first) }, plan: derive)
        let now = Self.commits(extraction)
        let moved = plan.repoCommits.sorted { $0.key < $1.key }.compactMap { repo, commit -> String? in
            guard now[repo] != commit else { return nil }
            return "repo '\(repo)' was at \(commit.prefix(12)) when planned, " + (now[repo].map { "at \($0.prefix(12)) now" } ?? "and is no longer declared")
        }
        if !moved.isEmpty { throw StalePlanError(reasons: moved) }
        return (derived, PlanChecks.run(CheckContext(plan: plan, manifest: manifest, state: state, desired: extraction.records)))
    }

    private static func commits(_ extraction: ExtractResult) -> [String: String] {
        Dictionary(uniqueKeysWithValues: extraction.repos.map { ($0.name, $0.commit) })
    }
}
