import Foundation
import TestSupport
import XCTest

/// With the state in PostgreSQL, drift checks, hook results and run evidence are in the state's schema
/// too (issue 9): clone B's `runs`, `report`, `runs show/export/verify` see what clone A did.
final class PostgresRunHistoryTests: XCTestCase {
    func testADriftCheckInCloneAIsInCloneBsRunsAndReport() throws {
        let shared = SharedClones(server: try PostgresServer.shared(), skills: 2,
                                  extra: "retention: {drift_checks: {keep_last: 2}}")
        XCTAssertEqual(try shared.recon(0, "apply", "--auto-approve").status, 0)
        XCTAssertEqual(try shared.recon(0, "drift").status, 0)
        _ = shared.sql("UPDATE Skills SET Name = 'by hand' WHERE Name = 's0'")
        let found = try shared.recon(0, "drift")
        XCTAssertEqual(found.status, 2, found.stderr)
        XCTAssertFalse(found.stderr.contains("note:"), "the check was recorded: \(found.stderr)")

        let runs = try shared.runs(1)
        XCTAssertEqual(runs.map { $0["operation"] as? String }, ["drift", "drift", "apply"], "clone B sees clone A's drift checks")
        let drift = try XCTUnwrap(runs.first?["drift"] as? [String: Any])
        XCTAssertEqual(drift["exit_code"] as? Int, 2)
        XCTAssertEqual((drift["tables"] as? [String: [String: Int]])?["Skills"]?["changed"], 1)
        XCTAssertNotNil(runs.first?["host"] as? String, "owner, host and pid are kept in PostgreSQL")

        // drift_checks.keep_last prunes in the store: the third check removes the first.
        XCTAssertEqual(try shared.recon(1, "drift").status, 2)
        XCTAssertEqual(try shared.runs(0).map { $0["operation"] as? String }, ["drift", "drift", "apply"])

        let report = try shared.recon(1, "report", "--out", "site")
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertEqual(report.stdout, "Wrote site/index.html: 3 runs and drift checks.\n")
        let html = try XCTUnwrap(shared.clones[1].read("site/index.html"))
        XCTAssertTrue(html.contains(try XCTUnwrap(runs.first?["id"] as? String)), "the page lists clone A's drift check")
        shared.assertNothingLocal()
    }

    func testCloneBShowsExportsAndVerifiesARunCloneAApplied() throws {
        let shared = SharedClones(server: try PostgresServer.shared(), skills: 2)
        XCTAssertEqual(try shared.recon(0, "apply", "--auto-approve").status, 0)
        let run = try XCTUnwrap(try shared.runs(1).first?["id"] as? String)

        let show = try shared.recon(1, "runs", "show", run, "--format", "json")
        XCTAssertEqual(show.status, 0, show.stderr)
        let shown = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((shown["outcomes"] as? [Any])?.count, 2, show.stdout)

        let export = try shared.recon(1, "runs", "export", run)
        XCTAssertEqual(export.status, 0, export.stderr)
        shared.clones[1].write("bundle.json", export.stdout)
        let verify = try shared.recon(1, "runs", "verify", "bundle.json")
        XCTAssertEqual(verify.status, 0, verify.stderr + verify.stdout)
        XCTAssertTrue(verify.stdout.contains("every part matches the run"), verify.stdout)
        XCTAssertTrue(verify.stdout.contains(shared.schema), "it names where the run was compared: \(verify.stdout)")

        // The bundle edited: B compares it with the run in PostgreSQL and names the part.
        let edited = export.stdout.replacingOccurrences(of: "\"created\"", with: "\"updated\"")
        XCTAssertNotEqual(edited, export.stdout)
        shared.clones[1].write("edited.json", edited)
        let refused = try shared.recon(1, "runs", "verify", "edited.json")
        XCTAssertEqual(refused.status, 1, refused.stdout)
        shared.assertNothingLocal()
    }

    func testHookResultsOfAPostgreSQLRunAreKeptAndReadFromAnotherClone() throws {
        let shared = SharedClones(server: try PostgresServer.shared(), skills: 1, extra: """
            hooks:
              pre_apply:
                - {run: ["/bin/sh", "-c", "test ! -e stop && test -s \\"$RECON_PLAN_FILE\\" && stat -c %a \\"$(dirname \\"$RECON_PLAN_FILE\\")\\" && echo plan here"]}
              on_failure:
                - {run: ["/bin/sh", "-c", "echo failure noted"]}
            """)
        // A run kept in PostgreSQL has no run folder: the hooks' plan goes in a private temporary folder, removed
        // when the run ends (it used to be left behind in the temp directory, readable by anyone).
        let temporary = TemporaryDirectory()
        let applied = try shared.recon(0, "apply", "--auto-approve", environment: ["TMPDIR": temporary.path])
        XCTAssertEqual(applied.status, 0, applied.stderr + applied.stdout)
        shared.skill("s1")
        shared.repo.commit("one more")
        shared.clones[0].write("stop", "")
        let failing = try shared.recon(0, "apply", "--auto-approve", environment: ["TMPDIR": temporary.path])
        XCTAssertEqual(failing.status, 1, failing.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary.path), [], "nothing left in the temp directory")

        let runs = try shared.runs(1)
        let first = try XCTUnwrap(runs.last)
        let hooks = try XCTUnwrap(first["hooks"] as? [[String: Any]], "\(first)")
        XCTAssertEqual(hooks.map { $0["status"] as? String }, ["succeeded"], "the plan file was there for the hook")
        XCTAssertEqual(hooks.first?["output"] as? String, "700\nplan here\n", "the folder is private")
        let show = try shared.recon(1, "runs", "show", try XCTUnwrap(first["id"] as? String))
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("plan here"), show.stdout)
        // on_failure runs once the failure is on record: its result is added to the finished run.
        let failed = try XCTUnwrap(runs.first)
        XCTAssertEqual(failed["status"] as? String, "failed")
        let after = try XCTUnwrap(failed["hooks"] as? [[String: Any]], "\(failed)")
        XCTAssertEqual(after.map { $0["point"] as? String }, ["pre_apply", "on_failure"])
        XCTAssertEqual(after.last?["output"] as? String, "failure noted\n")
        shared.assertNothingLocal()
    }
}
