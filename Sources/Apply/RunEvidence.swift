import Foundation
import Plan
import ReconCore
import State

/// Everything kept about one run, as its store holds it: the ledger, the outcomes, the plan applied and the
/// before-images. The one place `runs show`, `export` and `verify` read a run from (through `RunStore`).
public struct RunEvidence: Sendable, Equatable {
    public var runID: String
    /// `ledger.json` as stored.
    public var ledger: JSONValue
    /// The lines of `outcomes.jsonl` in order: outcomes and create intents.
    public var outcomes: [JSONValue]
    /// `plan.json` (with its own digest); nil when the run stopped before its backup.
    public var plan: JSONValue?
    /// `backup/before.json`; nil when the run stopped before its backup or the backup was pruned.
    public var beforeImages: JSONValue?

    public init(runID: String, ledger: JSONValue, outcomes: [JSONValue], plan: JSONValue?, beforeImages: JSONValue?) {
        self.runID = runID
        self.ledger = ledger
        self.outcomes = outcomes
        self.plan = plan
        self.beforeImages = beforeImages
    }

    /// Reads run `runID` from `runs` (its folder, or the PostgreSQL state's schema, from any clone); a missing
    /// run names the runs there are.
    public static func load(runID: String, runs: any RunStore) throws -> RunEvidence {
        let (prefix, run) = try exported(runID, runs: runs)
        let ledger = try parse(run.ledger, path: prefix + RunLayout.ledgerFileName)
        let outcomes = try run.lines.enumerated().map { try parse($1, path: "\(prefix)\(RunLayout.outcomesFileName):\($0 + 1)") }
        let plan = try run.files[.plan].map { try parse($0, path: runs.describe(runID, .plan)) }
        let before = try run.files[.beforeImages].map { try parse($0, path: runs.describe(runID, .beforeImages)) }
        return RunEvidence(runID: runID, ledger: ledger, outcomes: outcomes, plan: plan, beforeImages: before)
    }

    /// What `runs show` prints of run `runID`: the ledger, the outcome lines and the plan checked as `load` checks them
    /// but without a tree of the plan or of each line, and the before-images not read at all (`show` prints none of
    /// them; `export` and `verify` still check them): at 100,000 creates those took `runs show` to ~620 MB (issue 12).
    public static func shown(runID: String, runs: any RunStore) throws -> Shown {
        let (prefix, run) = try exported(runID, runs: runs)
        var outcomes: [EntityOutcome] = []
        for (index, line) in run.lines.enumerated() {
            if let outcome = EntityOutcome(line: line[...]) {
                outcomes.append(outcome)
            } else {
                _ = try parse(line, path: "\(prefix)\(RunLayout.outcomesFileName):\(index + 1)")
            }
        }
        var findings: [CheckFinding] = []
        if let plan = run.files[.plan] {
            do {
                findings = try PlanFile.findings(plan)
            } catch {
                throw ReconError("\(runs.describe(runID, .plan)): \(error.message)",
                                 hint: [error.hint, "the run folder was edited or damaged"].compactMap { $0 }.joined(separator: "; "))
            }
        }
        let ledger = try parse(run.ledger, path: prefix + RunLayout.ledgerFileName)
        return Shown(record: try RunRecord.decode(ledger.canonicalBytes(), path: prefix + RunLayout.ledgerFileName),
                     entityOutcomes: outcomes, findings: findings, hasPlan: run.files[.plan] != nil)
    }

    /// `shown`'s parts of a run.
    public struct Shown {
        public var record: RunRecord
        public var entityOutcomes: [EntityOutcome]
        public var findings: [CheckFinding]
        public var hasPlan: Bool
    }

    /// The run's files as its store holds them, and the prefix its files are named by; a bad or unknown id is refused.
    private static func exported(_ runID: String, runs: any RunStore) throws -> (prefix: String, run: RunExport) {
        guard RunID.isValid(runID) else {
            throw ReconError("'\(ControlEscape.escaped(runID))' is not a run id",
                             hint: "run ids look like 20261123T041500Z-1a2b3c; 'recon runs' lists them")
        }
        let known = runs.ids()
        guard known.contains(runID) else {
            throw ReconError("no run '\(runID)' in \(runs.location)",
                             hint: Suggestion.didYouMean(runID, in: known) ?? "'recon runs' lists the runs")
        }
        return (filePrefix(runID, runs: runs), try runs.export(runID))
    }

    /// Where a run is, for messages: its folder, or the schema, target and run.
    public static func label(_ runID: String, runs: any RunStore) -> String {
        var prefix = filePrefix(runID, runs: runs)
        while prefix.last == "/" || prefix.last == " " || prefix.last == "," { prefix.removeLast() }
        return prefix
    }

    /// Both stores name a run's files after a common prefix ("…/RUN/" or "…, run RUN, ").
    public static func filePrefix(_ runID: String, runs: any RunStore) -> String {
        String(runs.describe(runID, .plan).dropLast(RunFile.plan.rawValue.count))
    }

    /// The ledger decoded; `source` names where it came from in errors.
    public func record(source: String) throws -> RunRecord {
        try RunRecord.decode(ledger.canonicalBytes(), path: source)
    }

    /// The status to show, as the store lists it: `interrupted` for a `running` ledger whose process is gone.
    public static func shownStatus(_ record: RunRecord, runs: any RunStore) -> RunStatus {
        runs.listing().runs.first { $0.id == record.id }?.status ?? record.status
    }

    private static func parse(_ bytes: [UInt8], path: String) throws -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw ReconError("\(path): not JSON (\(error))", hint: "the run folder was edited or damaged")
        }
    }
}
