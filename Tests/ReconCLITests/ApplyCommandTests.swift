import Foundation
import TestSupport
import XCTest

final class ApplyCommandTests: XCTestCase {
    func testPlanApplyShowAndExitCodes() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("two skills")

        let plan = try project.recon("plan", "-out", "plan.json", "-detailed-exitcode")
        XCTAssertEqual(plan.status, 2, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("Plan: 2 schema changes, 3 to add, 0 to change, 0 to delete, 0 drift, 0 conflicts, 0 manual."), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("Saved the plan to plan.json. Apply exactly this plan with: recon apply plan.json"))
        XCTAssertFalse(project.directory.exists("state/catalog.sqlite"), "plan writes nothing to the base")

        let show = try project.recon("show", "plan.json")
        XCTAssertEqual(show.status, 0)
        XCTAssertTrue(plan.stdout.hasPrefix(show.stdout.trimmingCharacters(in: .newlines)), "show renders what plan printed")

        let refused = try project.recon("apply")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("refusing to apply without confirmation: input is not a terminal"), refused.stderr)

        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertTrue(apply.stdout.contains("Apply complete! 3 added, 0 changed, 0 deleted, 2 schema changes."), apply.stdout)
        XCTAssertEqual(project.sql("SELECT Key, Name FROM Skills ORDER BY Key"),
                       ["core:plugins/alpha/skills/one|one", "core:plugins/alpha/skills/two|two"])

        let again = try project.recon("plan", "-detailed-exitcode")
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(again.stdout, "No changes. The base matches the manifests.\n")

        let reused = try project.recon("apply", "plan.json")
        XCTAssertEqual(reused.status, 1, "an applied plan is stale")
        XCTAssertTrue(reused.stderr.contains("the plan is stale"), reused.stderr)
    }

    func testTamperedPlanIsRefusedByShowAndApply() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("plan", "-out", "plan.json").status, 0)
        let text = try XCTUnwrap(project.directory.read("plan.json"))
        project.directory.write("plan.json", text.replacingOccurrences(of: "\"one\"", with: "\"evil\""))
        for command in [["show", "plan.json"], ["apply", "plan.json"]] {
            let result = try ReconProcess.run(command, in: project.path)
            XCTAssertEqual(result.status, 1)
            XCTAssertTrue(result.stderr.contains("plan.json: the plan file was modified after it was made"), result.stderr)
        }
        XCTAssertFalse(project.directory.exists("state/catalog.sqlite"))
    }

    func testDriftRollbackAndJSONEvents() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("first")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        XCTAssertEqual(try project.recon("drift").status, 0)

        _ = project.sql("UPDATE Skills SET Name = 'by hand' WHERE Key = 'core:plugins/alpha/skills/one'")
        let drift = try project.recon("drift", "--format", "markdown")
        XCTAssertEqual(drift.status, 2)
        XCTAssertTrue(drift.stdout.contains("| ~ | `core:plugins/alpha/skills/one` | Name | \"one\" | \"by hand\" |"), drift.stdout)

        project.skill("alpha", "one", title: "One v2")
        project.repo.remove("plugins/alpha/skills/two")
        project.repo.commit("second")
        let apply = try project.recon("apply", "--auto-approve", "--json", "--allow", "RC101")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let events = apply.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(events.count, apply.stdout.split(separator: "\n").count, "every line is one JSON event")
        let done = try XCTUnwrap(events.last)
        XCTAssertEqual(done["event"] as? String, "done")
        XCTAssertEqual(done["status"] as? String, "succeeded")
        XCTAssertEqual(done["deleted"] as? Int, 1)
        let run = try XCTUnwrap(done["run_id"] as? String)

        let rollback = try project.recon("rollback", run, "-out", "undo.json")
        XCTAssertEqual(rollback.status, 0, rollback.stderr)
        XCTAssertTrue(rollback.stdout.contains("to roll back run \(run)"), rollback.stdout)
        XCTAssertEqual(try project.recon("apply", "undo.json").status, 0)
        XCTAssertEqual(project.sql("SELECT Name FROM Skills ORDER BY Key"), ["by hand", "two"],
                       "the run's before-image comes back, including the hand edit it overwrote")
        let runs = try project.recon("runs", "--format", "json")
        XCTAssertTrue(runs.stdout.contains("\"rollback\""), runs.stdout)
    }

    func testSecondApplyFailsFastNamingTheHolder() throws {
        let project = CLIProject()
        for index in 0..<60 { project.skill("p\(index % 3)", "s\(index)") }
        project.repo.commit("many")
        XCTAssertEqual(try project.recon("plan", "-out", "plan.json").status, 0)
        // The first apply writes one record per batch, so it holds the lock for a while.
        let first = try ReconProcess.start(["apply", "plan.json", "--batch-size", "1"], in: project.path)
        let deadline = Date().addingTimeInterval(20)
        while !project.directory.exists("state/.lock"), Date() < deadline, first.isRunning { usleep(2_000) }
        let second = try project.recon("apply", "--auto-approve")
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 0)
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stderr.contains("locked"), second.stderr)
        XCTAssertTrue(second.stderr.contains("pid \(first.processIdentifier)"), second.stderr)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["60"])
        let waited = try project.recon("apply", "--auto-approve", "--lock-timeout", "30s")
        XCTAssertEqual(waited.status, 0, waited.stderr)
    }
}

extension ApplyCommandTests {
    /// A regression: a plan whose only work was adopting identical records said "No changes" and never
    /// saved the adoption, so the state stayed empty.
    func testAdoptOnlyPlanIsAppliedToTheState() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        // The state loses its records but keeps the repo's commit: nothing but adoption is left to do.
        try project.forgetStateRecords()
        let adopt = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(adopt.status, 0, adopt.stderr)
        let saved = try XCTUnwrap(project.directory.read("state/recon.state.json"))
        XCTAssertTrue(saved.contains("core:plugins/alpha/skills/one"), "the adopted record is managed again")
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["1"], "no duplicate")
        XCTAssertEqual(try project.recon("plan", "-detailed-exitcode").status, 0)
    }
}

extension ApplyCommandTests {
    /// A regression: a second manifest set run from the same folder collided with the first one's state,
    /// and the error pointed at a `-state` flag that did not exist.
    func testStateFlagKeepsTwoTargetsApartInOneFolder() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        let other = try XCTUnwrap(project.directory.read("manifests/schema.yaml"))
            .replacingOccurrences(of: "database: state/catalog.sqlite", with: "database: other/catalog.sqlite")
        project.directory.write("other-manifests/schema.yaml", other)

        let collide = try project.recon("plan", "-m", "other-manifests")
        XCTAssertEqual(collide.status, 1)
        XCTAssertTrue(collide.stderr.contains("pass --state with the state file for 'sqlite:other/catalog.sqlite'"), collide.stderr)

        let apply = try project.recon("apply", "-m", "other-manifests", "--state", "other/recon.state.json", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertTrue(project.directory.exists("other/recon.state.json"))
        XCTAssertTrue(project.directory.exists("other/runs"), "runs live beside their state file")
        XCTAssertEqual(try project.recon("plan", "-m", "other-manifests", "--state", "other/recon.state.json", "-detailed-exitcode").status, 0)
        XCTAssertEqual(try project.recon("plan", "-detailed-exitcode").status, 0, "the first target is untouched")
        let runs = try project.recon("runs", "--state", "other/recon.state.json", "--format", "json")
        XCTAssertTrue(runs.stdout.contains("sqlite:other/catalog.sqlite"), runs.stdout)
    }
}
