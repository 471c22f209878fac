import Foundation
import TestSupport
import XCTest

/// Hooks around `recon plan`, the wait line of a slow hook, and `recon validate`'s check of the commands.
final class HookPlanValidateTests: XCTestCase {
    func testPrePlanFailureStopsThePlanAndPostPlanSeesTheSavedPlan() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        project.script("gate.sh", "echo \"$RECON_OPERATION [$RECON_RUN_ID] [$RECON_PLAN_FILE]\" > pre.txt\n[ -e allow ]")
        project.script("review.sh", "cp \"$RECON_PLAN_FILE\" reviewed.json\necho \"$RECON_SUMMARY\" > summary.txt")
        project.hooks("""
            hooks:
              pre_plan: [{run: [./scripts/gate.sh]}]
              post_plan: [{run: [./scripts/review.sh]}]
            """)

        let refused = try project.recon("plan", "-out", "plan.json")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("hook pre_plan ./scripts/gate.sh exited with status 1"), refused.stderr)
        XCTAssertFalse(refused.stdout.contains("Plan:"), "nothing was planned")
        XCTAssertFalse(project.directory.exists("plan.json"))
        XCTAssertEqual(project.directory.read("pre.txt"), "plan [] []\n", "no run and no plan yet")

        project.directory.write("allow", "")
        let plan = try project.recon("plan", "-out", "plan.json")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertEqual(project.directory.data("reviewed.json"), project.directory.data("plan.json"), "post_plan reads the saved plan")
        XCTAssertTrue(project.directory.read("summary.txt")?.contains("\"add\":2") == true, project.directory.read("summary.txt") ?? "")

        // Without -out, the plan is handed over in a private temporary file.
        try FileManager.default.removeItem(atPath: project.directory.file("reviewed.json"))
        XCTAssertEqual(try project.recon("plan").status, 0)
        let reviewed = try XCTUnwrap(project.directory.read("reviewed.json"))
        XCTAssertTrue(reviewed.contains("\"summary\""), reviewed)
    }

    func testASlowHookSaysWhatIsWaitedFor() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        project.script("slow.sh", "sleep 3")
        project.hooks("hooks:\n  pre_plan:\n    - {run: [./scripts/slow.sh], timeout: 30s}\n")
        let plan = try project.recon("plan")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stderr.contains("Waiting for hook pre_plan ./scripts/slow.sh (up to 30s)"), plan.stderr)
    }

    func testValidateRefusesCommandsThatCannotRun() throws {
        let project = CLIProject()
        project.script("ok.sh", "exit 0")
        project.script("plain.sh", "exit 0", executable: false)
        project.hooks("""
            hooks:
              pre_apply:
                - {run: [./scripts/ok.sh]}
                - {run: [./scripts/missing.sh]}
                - {run: [./scripts/plain.sh]}
                - {run: [no-such-command-for-recon]}
                - {run: [sh, -c, "exit 0"]}
            """)
        let validate = try project.recon("validate")
        XCTAssertEqual(validate.status, 1, validate.stdout)
        XCTAssertTrue(validate.stderr.contains("manifests/hooks.yaml:4:14: error: the command './scripts/missing.sh' of a hook of hooks.pre_apply does not exist"), validate.stderr)
        XCTAssertTrue(validate.stderr.contains("manifests/hooks.yaml:5:14: error: the command './scripts/plain.sh' of a hook of hooks.pre_apply is not executable"), validate.stderr)
        XCTAssertTrue(validate.stderr.contains("manifests/hooks.yaml:6:14: error: the command 'no-such-command-for-recon' of a hook of hooks.pre_apply is not found on PATH"), validate.stderr)
        XCTAssertFalse(validate.stderr.contains("ok.sh"), validate.stderr)
        XCTAssertFalse(validate.stderr.contains("'sh'"), "a name found on PATH is fine")
        XCTAssertTrue(validate.stderr.contains("3 errors in the manifests"), validate.stderr)

        project.hooks("hooks:\n  pre_apply:\n    - {run: [./scripts/ok.sh]}\n")
        XCTAssertEqual(try project.recon("validate").status, 0)
    }
}
