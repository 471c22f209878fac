import Apply
import Foundation
import Plan
import State
import TestSupport
import XCTest

/// When things go wrong twice, the first cause is the one reported first, and the second is not lost.
final class FailureCauseTests: XCTestCase {
    /// Runs `sql` on the harness's base with the sqlite3 shell.
    private func execute(_ sql: String, on database: String, line: UInt = #line) throws {
        SQLiteShell.run(sql, on: database, line: line)
    }

    /// Breaks the state file's place once the creates begin: the final state write will fail.
    private final class StateBreaker: ApplyObserver {
        let statePath: String
        init(statePath: String) { self.statePath = statePath }
        func phaseStarted(_ phase: ApplyPhase, total: Int) {
            guard phase == .creates else { return }
            try? FileManager.default.removeItem(atPath: statePath)
            try? FileManager.default.createDirectory(atPath: statePath + "/occupied", withIntermediateDirectories: true)
        }
        func batchFinished(_ phase: ApplyPhase, done: Int, total: Int) {}
        func recordFinished(_ outcome: EntityOutcome) {}
        func warning(_ message: String) {}
    }

    func testABatchFailureIsReportedFirstWhenTheStateWriteFailsToo() throws {
        let harness = ApplyHarness()
        harness.addSkill("p0", "s0")
        harness.repo.commit("one")
        try harness.planAndApply(run: "first")
        for index in 1..<5 { harness.addSkill("p0", "s\(index)") }
        harness.repo.commit("four more")
        try execute("""
            CREATE TRIGGER refuse BEFORE INSERT ON Skills WHEN NEW.Key LIKE '%s3'
            BEGIN SELECT RAISE(ABORT, 'refused by the base'); END;
            """, on: harness.database)
        harness.batchSize = 1
        let plan = try harness.plan().plan
        let breaker = StateBreaker(statePath: harness.statePath)
        let applier = Applier(plan: plan, manifest: try harness.manifest(), provider: harness.provider(),
                              store: StateStore(path: harness.statePath), keepHistory: 10, observer: breaker)
        let preflight = try applier.check()
        XCTAssertThrowsError(try applier.run(preflight, runDirectory: harness.project.path + "/state/runs/second")) { error in
            let text = "\(error)"
            let cause = text.range(of: "refused by the base")
            let second = text.range(of: "recon.state.json")
            XCTAssertNotNil(cause, "the batch failure is reported: \(text)")
            XCTAssertNotNil(second, "the state write failure is shown too: \(text)")
            if let cause, let second { XCTAssertLessThan(cause.lowerBound, second.lowerBound, "the first failure comes first: \(text)") }
        }
    }
}
