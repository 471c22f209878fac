import Foundation
import Plan
import ReconCore
import State

/// Everything kept about one run, as its files hold it: the ledger, the outcomes, the plan applied and the
/// before-images. The one place `runs show`, `export` and `verify` read a run from, so another run store
/// only has to supply these four parts.
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

    /// Reads run `runID` under `layout`; a missing run names the runs there are.
    public static func load(runID: String, layout: RunLayout) throws -> RunEvidence {
        guard RunID.isValid(runID) else {
            throw ReconError("'\(ControlEscape.escaped(runID))' is not a run id",
                             hint: "run ids look like 20261123T041500Z-1a2b3c; 'recon runs' lists them")
        }
        let folder = layout.runDirectory(runID)
        guard let ledgerBytes = try AtomicFile.read("\(folder)/\(RunLayout.ledgerFileName)") else {
            let known = ((try? FileManager.default.contentsOfDirectory(atPath: layout.runsDirectory)) ?? []).sorted()
            throw ReconError("no run '\(runID)' in \(layout.runsDirectory)",
                             hint: Suggestion.didYouMean(runID, in: known) ?? "'recon runs' lists the runs")
        }
        let ledger = try parse(ledgerBytes, path: "\(folder)/\(RunLayout.ledgerFileName)")
        var outcomes: [JSONValue] = []
        let outcomesPath = "\(folder)/\(RunLayout.outcomesFileName)"
        if let bytes = try AtomicFile.read(outcomesPath) {
            var start = 0
            // A last line cut short by a crash has no newline and is left out, as RunLedger reads it.
            while let end = bytes[start...].firstIndex(of: 0x0A) {
                outcomes.append(try parse(Array(bytes[start..<end]), path: "\(outcomesPath):\(outcomes.count + 1)"))
                start = end + 1
            }
        }
        let plan = try AtomicFile.read("\(folder)/plan.json").map { try parse($0, path: "\(folder)/plan.json") }
        let beforePath = "\(folder)/\(RunLayout.backupFolderName)/before.json"
        let before = try AtomicFile.read(beforePath).map { try parse($0, path: beforePath) }
        return RunEvidence(runID: runID, ledger: ledger, outcomes: outcomes, plan: plan, beforeImages: before)
    }

    /// The ledger decoded; `source` names where it came from in errors.
    public func record(source: String) throws -> RunRecord {
        try RunRecord.decode(ledger.canonicalBytes(), path: source)
    }

    /// The outcome lines (create intents left out).
    public var entityOutcomes: [EntityOutcome] {
        outcomes.compactMap { EntityOutcome(line: $0.canonicalBytes()[...]) }
    }

    /// The findings the plan recorded; empty without a plan.
    public func findings() throws -> [CheckFinding] {
        guard let plan else { return [] }
        return try PlanFile.decode(plan.canonicalBytes()).findings
    }

    /// The status to show: `interrupted` for a `running` ledger whose lease is gone.
    public func shownStatus(_ record: RunRecord, layout: RunLayout) -> RunStatus {
        RunLedger.shownStatus(record, liveLease: RunLedger.liveLease(runsDirectory: layout.runsDirectory, lockPath: layout.lockPath))
    }

    private static func parse(_ bytes: [UInt8], path: String) throws -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw ReconError("\(path): not JSON (\(error))", hint: "the run folder was edited or damaged")
        }
    }
}
