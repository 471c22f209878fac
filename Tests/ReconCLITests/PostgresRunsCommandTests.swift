import Apply
import Foundation
import State
import TestSupport
import XCTest

/// With the state in PostgreSQL, runs, outcomes and backups live there too (issue 9): `runs`, `rollback`,
/// `prune` and in-flight recovery work from a clone that did not apply.
final class PostgresRunsCommandTests: XCTestCase {
    func testCloneBListsAndRollsBackARunCloneAApplied() throws {
        let shared = SharedClones(server: try PostgresServer.shared(), skills: 2)
        let none = try shared.recon(1, "runs")
        XCTAssertEqual(none.stdout, "No runs yet under PostgreSQL schema \"\(shared.schema)\", target '\(shared.target)'.\n", none.stderr)
        let applied = try shared.recon(0, "apply", "--auto-approve")
        XCTAssertEqual(applied.status, 0, applied.stderr)
        shared.skill("s0", title: "renamed")
        shared.skill("s2")
        shared.repo.commit("rename one, add one")
        let second = try shared.recon(0, "apply", "--auto-approve")
        XCTAssertEqual(second.status, 0, second.stderr)

        let runs = try shared.runs(1)
        XCTAssertEqual(runs.count, 2, "clone B sees clone A's runs: \(runs)")
        XCTAssertEqual(runs.map { $0["status"] as? String }, ["succeeded", "succeeded"])
        XCTAssertEqual(runs.map { $0["has_backup"] as? Bool }, [true, true])
        let run = try XCTUnwrap(runs.first?["id"] as? String)

        let rollback = try shared.recon(1, "rollback", run, "-out", "rollback.json")
        XCTAssertEqual(rollback.status, 0, rollback.stderr + rollback.stdout)
        let undo = try shared.recon(1, "apply", "rollback.json", "--allow", "RC101")
        XCTAssertEqual(undo.status, 0, undo.stderr + undo.stdout)
        XCTAssertEqual(shared.sql("SELECT Name FROM Skills ORDER BY Key"), ["s0", "s1"], "the second run is undone")
        XCTAssertEqual(try shared.runs(0).map { $0["operation"] as? String }, ["rollback", "apply", "apply"], "clone A sees the rollback")
        shared.assertNothingLocal()
    }

    func testPruneRemovesRunsAndBackupsInPostgreSQL() throws {
        let retention = "retention: {runs: {keep_last: 3}, backups: {keep_last: 1}}"
        let shared = SharedClones(server: try PostgresServer.shared(), skills: 1, extra: retention)
        for round in 1...4 {
            shared.skill("s\(round)")
            shared.repo.commit("round \(round)")
            let applied = try shared.recon(0, "apply", "--auto-approve")
            XCTAssertEqual(applied.status, 0, applied.stderr)
        }
        // Apply prunes after each run by the same policy.
        let runs = try shared.runs(1)
        XCTAssertEqual(runs.count, 3, "\(runs)")
        XCTAssertEqual(runs.map { $0["has_backup"] as? Bool }, [true, false, false])

        let dry = try shared.recon(1, "prune", "--dry-run")
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("Nothing to prune"), dry.stdout)
        let rollback = try shared.recon(1, "rollback", try XCTUnwrap(runs.last?["id"] as? String))
        XCTAssertEqual(rollback.status, 1, "a pruned backup cannot be rolled back")
        XCTAssertTrue(rollback.stderr.contains("has no backup"), rollback.stderr)
        shared.assertNothingLocal()
    }

    /// Clone A is killed after a create batch reached the base, before its outcomes: clone B finds the
    /// run's intents in PostgreSQL, so those records are Recon's and deleted once no longer desired.
    func testInFlightRecoveryFromAnotherClone() throws {
        let shared = SharedClones(server: try PostgresServer.shared(), skills: 8)
        let killed = try shared.recon(0, "apply", "--auto-approve", "--batch-size", "4",
                                      environment: ["RECON_TEST_KILL_AFTER_BATCH": "2"])
        XCTAssertNotEqual(killed.status, 0, killed.stdout)
        XCTAssertEqual(shared.sql("SELECT COUNT(*) FROM Skills"), ["8"])
        let runs = try shared.runs(1)
        XCTAssertEqual(runs.first?["status"] as? String, "interrupted", "\(runs)")
        let counters = runs.first?["counters"] as? [String: Any]
        XCTAssertEqual(counters?["created"] as? Int, 4, "the ledger says what the state holds: the batch in flight is lost")
        XCTAssertEqual(counters?["batches"] as? Int, 1)
        // The outcomes committed with the state rows: exactly the records the state holds.
        let store = try PostgresStateStore(connectionString: try PostgresServer.shared().uri(), schema: shared.schema, target: shared.target)
        let state = try XCTUnwrap(try store.load(expectedTarget: shared.target))
        let entries = try PostgresRunStore(store).entries(try XCTUnwrap(runs.first?["id"] as? String))
        XCTAssertEqual(Set(entries.outcomes.map(\.key)), Set(state.records["Skills"]?.keys ?? [:].keys))
        XCTAssertEqual(entries.outcomes.count, 4)
        XCTAssertEqual(entries.intents.count, 2, "the intent of the batch in flight was written ahead")

        for index in 0..<8 { shared.repo.remove("plugins/alpha/skills/s\(index)") }
        shared.repo.commit("all removed")
        let plan = try shared.recon(1, "plan")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("8 to delete"), plan.stdout)
        XCTAssertTrue((plan.stdout + plan.stderr).contains("created by interrupted run"), plan.stdout + plan.stderr)
        let apply = try shared.recon(1, "apply", "--auto-approve", "--allow", "RC101,RC102")
        XCTAssertEqual(apply.status, 0, apply.stderr + apply.stdout)
        XCTAssertEqual(shared.sql("SELECT COUNT(*) FROM Skills"), ["0"], "no orphan")
        shared.assertNothingLocal()
    }
}
