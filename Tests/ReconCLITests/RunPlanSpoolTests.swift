import Foundation
import Plan
import TestSupport
import XCTest

/// An apply that makes its plan encodes it once, into `state/runs/.plan-spool-…`, and its backup moves that file into the
/// run's folder (issue 12, goal 2). What a user sees is unchanged: the run's `plan.json` is the plan applied, under the
/// ledger's digest, whatever a `pre_apply` hook did to its copy; no spooled file outlives the run, and one left by a
/// killed run is removed by the next apply. Real binary, real git repo, real SQLite file.
final class RunPlanSpoolTests: XCTestCase {
    private func project() -> CLIProject {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("two skills")
        return project
    }

    private func spools(_ project: CLIProject) -> [String] {
        project.directory.list("state/runs").filter { $0.hasPrefix(".") }
    }

    /// The run's plan.json verifies, carries the ledger's digest and plans what the run applied.
    private func assertKeptPlan(_ project: CLIProject, creates: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try project.lastRun()
        let id = try XCTUnwrap(run["id"] as? String, file: file, line: line)
        let bytes = try XCTUnwrap(project.directory.data("state/runs/\(id)/plan.json"), "no plan in the run folder", file: file, line: line)
        let verified = try PlanFile.verify(Array(bytes))
        XCTAssertEqual(verified.digest, run["plan_digest"] as? String, "the ledger names the kept plan", file: file, line: line)
        XCTAssertEqual(verified.plan.recordChanges.filter { $0.action == .create }.count, creates, file: file, line: line)
        XCTAssertEqual(Array(bytes), PlanFile.encode(verified.plan), "the file's pretty form, as before", file: file, line: line)
    }

    func testAnApplyThatMadeItsPlanKeepsItInTheRunFolderAndNothingBeside() throws {
        let project = project()
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        try assertKeptPlan(project, creates: 3)
        XCTAssertEqual(spools(project), [], "the spooled plan was moved, not left behind")
        var info = stat()
        let id = try XCTUnwrap(try project.lastRun()["id"] as? String)
        XCTAssertEqual(stat(project.directory.file("state/runs/\(id)/plan.json"), &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
    }

    /// Written around the page cache when only a rollback reads it again; kept cached when Recon reads it back to hand
    /// the hooks their copy (a spool of 92 MB at 100,000 creates would then be read from disk).
    func testTheKeptPlanStaysOutOfThePageCacheUnlessHooksAreHandedACopy() throws {
        for hooked in [false, true] {
            let project = CLIProject()
            try XCTSkipUnless(PageCacheProbe.writesAroundTheCache(in: project.directory.path), "no O_DIRECT here")
            for index in 0..<60 { project.skill("alpha", "s\(index)") }
            project.repo.commit("sixty skills")
            if hooked {
                project.script("look.sh", "test -s \"$RECON_PLAN_FILE\"")
                project.hooks("hooks:\n  pre_apply:\n    - {run: [./scripts/look.sh]}\n")
            }
            var before = rusage()
            getrusage(RUSAGE_CHILDREN.rawValue, &before)
            let apply = try project.recon("apply", "--auto-approve")
            var after = rusage()
            getrusage(RUSAGE_CHILDREN.rawValue, &after)
            XCTAssertEqual(apply.status, 0, apply.stderr)
            let id = try XCTUnwrap(try project.lastRun()["id"] as? String)
            let path = project.directory.file("state/runs/\(id)/plan.json")
            let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            XCTAssertGreaterThan(size, 16_384, "a plan of several pages")
            if hooked {
                // Blocks the run read from disk, in 512-byte units: the hooks' copy came from the cache.
                XCTAssertLessThan(after.ru_inblock - before.ru_inblock, size / 512 / 2, "the spool was read back from disk")
            } else {
                XCTAssertLessThanOrEqual(try XCTUnwrap(PageCacheProbe.residentPages(path)), 2,
                                         "spooled around the cache (but the header patched in place and the partial last block)")
            }
        }
    }

    func testAPreApplyHookThatRewritesItsPlanFileDoesNotChangeTheBackup() throws {
        let project = project()
        project.script("scribble.sh", "echo '{\"not\": \"the plan\"}' > \"$RECON_PLAN_FILE\"")
        project.hooks("hooks:\n  pre_apply:\n    - {run: [./scripts/scribble.sh]}\n")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        try assertKeptPlan(project, creates: 3)
        XCTAssertEqual(spools(project), [])
    }

    func testARunRefusedBeforeItsBackupLeavesNoSpooledPlan() throws {
        let project = project()
        project.script("closed.sh", "exit 1")
        project.hooks("hooks:\n  pre_apply:\n    - {run: [./scripts/closed.sh]}\n")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 1, apply.stderr)
        XCTAssertTrue(apply.stderr.contains("nothing was written"), apply.stderr)
        XCTAssertEqual(spools(project), [], "the spooled plan goes with the refused run")
    }

    func testASpooledPlanLeftByAKilledRunIsRemovedByTheNextApply() throws {
        let project = project()
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        // What a run killed between spooling and its backup leaves: a whole plan file under the spool's name.
        let id = try XCTUnwrap(try project.lastRun()["id"] as? String)
        let left = try XCTUnwrap(project.directory.data("state/runs/\(id)/plan.json"))
        project.directory.write("state/runs/.plan-spool-99999-1.json", Array(left))
        project.skill("alpha", "three")
        project.repo.commit("three")

        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(spools(project), [], "the killed run's spool is a leftover, removed under the lock")
        try assertKeptPlan(project, creates: 1)
        XCTAssertEqual(try project.recon("runs").status, 0)
    }
}
