import Apply
import Foundation
import Plan
import ReconCore
import XCTest

/// A create whose upsert lands on a record made after preflight (a race no read can close) is recorded as the
/// update it was, with the record's before-image in the backup, so rollback restores it instead of deleting it.
final class CreateLandingTests: XCTestCase {
    /// Makes a record by hand, through another SQLite connection, as the creates phase begins.
    private final class HandInsert: ApplyObserver {
        let database: String
        let sql: String
        var warnings: [String] = []
        init(database: String, sql: String) { self.database = database; self.sql = sql }
        func phaseStarted(_ phase: ApplyPhase, total: Int) {
            guard phase == .creates else { return }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["sqlite3", database, sql]
            try! process.run()
            process.waitUntilExit()
            precondition(process.terminationStatus == 0, "sqlite3 insert failed")
        }
        func batchFinished(_ phase: ApplyPhase, done: Int, total: Int) {}
        func recordFinished(_ outcome: EntityOutcome) {}
        func warning(_ message: String) { warnings.append(message) }
    }

    func testACreateThatLandedOnARecordMadeAfterPreflightIsRolledBackAsAnUpdate() throws {
        let harness = ApplyHarness()
        harness.addSkill("alpha", "one")
        harness.repo.commit("one")
        try harness.applyRecorded(try harness.plan().plan)
        harness.addSkill("alpha", "two")
        harness.repo.commit("two")
        let plan = try harness.plan().plan
        let key = "core:plugins/alpha/skills/two"
        XCTAssertEqual(plan.recordChanges.first { $0.key == key }?.action, .create)

        let layout = RunLayout(stateDirectory: harness.project.path + "/state")
        let lease = try Lease.acquire(path: layout.lockPath, operation: "apply", heartbeat: false)
        let observer = HandInsert(database: harness.database, sql: """
            INSERT INTO Skills(_recon_id, Key, Name, Status) VALUES ('recHANDMADE000001', '\(key)', 'Hand made', 'Published')
            """)
        let session = ApplySession(manifest: try harness.manifest(), layout: layout, statePath: harness.statePath, environment: [:],
                                   batchSize: harness.batchSize, manifestDirectory: harness.project.path + "/manifests")
        let run = try session.apply(plan, lease: lease, cancellation: CancellationSignal(), observer: observer).runID
        try lease.release()

        XCTAssertEqual(try harness.records("Skills")[key]?.id, "recHANDMADE000001", "the upsert merged on the key")
        XCTAssertTrue(observer.warnings.contains { $0.contains(key) && $0.contains("updated, not created") }, "\(observer.warnings)")
        let outcomes = try RunLedger.outcomes(runDirectory: layout.runsDirectory + "/\(run)")
        XCTAssertEqual(outcomes.first { $0.key == key }?.action, .update)
        let backup = try XCTUnwrap(try String(contentsOfFile: layout.runsDirectory + "/\(run)/backup/before.json", encoding: .utf8))
        XCTAssertTrue(backup.contains("recHANDMADE000001") && backup.contains("Hand made"), backup)

        let rollback = try RollbackRunner(runsDirectory: layout.runsDirectory, manifestDirectory: harness.project.path + "/manifests",
                                          statePath: harness.statePath, environment: [:]).run(runID: run)
        let undo = try XCTUnwrap(rollback.recordChanges.first { $0.key == key })
        XCTAssertEqual(undo.action, .update, "restored, never deleted")
        try harness.applyRecorded(rollback)
        let restored = try XCTUnwrap(try harness.records("Skills")[key])
        XCTAssertEqual(restored.id, "recHANDMADE000001")
        XCTAssertEqual(restored.fields["Name"], .text("Hand made"))
        XCTAssertEqual(restored.fields["Status"], .text("Published"), "the protected field is back too")
    }
}
