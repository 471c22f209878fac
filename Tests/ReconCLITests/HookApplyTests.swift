import Foundation
import TestSupport
import XCTest

/// Hooks around `recon apply`, through the real binary with real scripts (docs/hooks.md).
final class HookApplyTests: XCTestCase {
    /// An applied project with one more skill to add, so an apply would write the base and the state.
    private func appliedProject() throws -> CLIProject {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        project.skill("alpha", "two")
        project.repo.commit("two")
        return project
    }

    func testFailingPreApplyStopsBeforeAnyWriteAndRunsOnFailure() throws {
        let project = try appliedProject()
        project.script("window.sh", "echo checking the deploy window\necho window closed >&2\nexit 1")
        project.script("mark.sh", "echo \"$RECON_HOOK $RECON_RUN_ID\" >> marks.txt")
        project.hooks("""
            hooks:
              pre_apply:
                - {run: ["./scripts/window.sh"], timeout: 30s}
              post_apply:
                - {run: ["./scripts/mark.sh"]}
              on_failure:
                - {run: ["./scripts/mark.sh"]}
            """)
        let base = project.directory.data("state/catalog.sqlite")
        let state = project.directory.data("state/recon.state.json")

        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 1, apply.stdout)
        XCTAssertTrue(apply.stderr.contains("error: hook pre_apply ./scripts/window.sh exited with status 1; nothing was written"), apply.stderr)
        XCTAssertTrue(apply.stderr.contains("| window closed"), apply.stderr)
        XCTAssertEqual(project.directory.data("state/catalog.sqlite"), base, "the base is untouched")
        XCTAssertEqual(project.directory.data("state/recon.state.json"), state, "the state is untouched")
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills"), ["1"])

        let run = try project.lastRun()
        XCTAssertEqual(run["status"] as? String, "failed")
        XCTAssertTrue((run["error"] as? String)?.contains("window closed") == true, "\(run)")
        let hooks = try XCTUnwrap(run["hooks"] as? [[String: Any]])
        XCTAssertEqual(hooks.map { $0["point"] as? String }, ["pre_apply", "on_failure"])
        XCTAssertEqual(hooks[0]["exit_code"] as? Int, 1)
        XCTAssertEqual(hooks[0]["argv"] as? [String], ["./scripts/window.sh"])
        XCTAssertEqual(hooks[0]["output"] as? String, "checking the deploy window\nwindow closed\n")
        XCTAssertEqual(project.directory.read("marks.txt"), "on_failure \(run["id"] as! String)\n", "on_failure ran, post_apply did not")

        let text = try project.recon("runs")
        XCTAssertTrue(text.stdout.contains("hook pre_apply ./scripts/window.sh exited with status 1"), text.stdout)
        let shown = try project.recon("runs", "show", run["id"] as! String)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("hook pre_apply ./scripts/window.sh exited with status 1"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("    | window closed\n"), shown.stdout)
    }

    func testTimeoutKillsTheHooksWholeProcessGroup() throws {
        let project = try appliedProject()
        // SIGTERM is ignored by the script and the child it leaves running, so only the SIGKILL that follows ends them.
        project.script("hang.sh", "trap '' TERM\nsleep 1000 &\necho $! > child.pid\nwait")
        project.hooks("hooks:\n  pre_apply:\n    - {run: [./scripts/hang.sh], timeout: 1s}\n")
        let state = project.directory.data("state/recon.state.json")

        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 1)
        XCTAssertTrue(apply.stderr.contains("hook pre_apply ./scripts/hang.sh timed out after 1 s; nothing was written"), apply.stderr)
        XCTAssertEqual(project.directory.data("state/recon.state.json"), state)
        let child = try XCTUnwrap(project.directory.read("child.pid").flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        XCTAssertTrue(Self.isGone(child), "the hook's background child \(child) outlived it")
        let hooks = try XCTUnwrap(try project.lastRun()["hooks"] as? [[String: Any]])
        XCTAssertEqual(hooks.first?["status"] as? String, "timed_out")
    }

    func testEnvironmentIsExplicitArgumentsAreLiteralAndSecretsRedacted() throws {
        let project = try appliedProject()
        project.script("record.sh", """
            env > hook-env.txt
            printf '%s' "$1" > argument.txt
            cp "$RECON_PLAN_FILE" seen-plan.json
            echo "token is $LISTED_TOKEN"
            """)
        project.hooks("""
            hooks:
              post_apply:
                - {run: ["./scripts/record.sh", "$(touch pwned)"], env: [LISTED_TOKEN]}
            """)
        let apply = try ReconProcess.run(["apply", "--auto-approve"], in: project.path, environment: [
            "LISTED_TOKEN": "listed-secret-value", "UNLISTED_TOKEN": "unlisted-secret-value",
            "RECON_PLAN_KEY": "plan-signing-key", "LANG": "C.UTF-8",
        ])
        XCTAssertEqual(apply.status, 0, apply.stderr)

        let env = try project.environment(in: "hook-env.txt")
        XCTAssertEqual(env["LISTED_TOKEN"], "listed-secret-value")
        XCTAssertNil(env["UNLISTED_TOKEN"], "a variable the hook does not list is not passed")
        XCTAssertNil(env["RECON_PLAN_KEY"], "the signing key is not passed unless listed")
        XCTAssertEqual(env["LANG"], "C.UTF-8")
        XCTAssertNotNil(env["PATH"])
        XCTAssertEqual(env["RECON_OPERATION"], "apply")
        XCTAssertEqual(env["RECON_HOOK"], "post_apply")
        XCTAssertEqual(env["RECON_TARGET"], "sqlite:state/catalog.sqlite")
        let run = try project.lastRun()
        XCTAssertEqual(env["RECON_RUN_ID"], run["id"] as? String)
        let plan = try XCTUnwrap(try JSONSerialization.jsonObject(with: XCTUnwrap(project.directory.data("seen-plan.json"))) as? [String: Any])
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(XCTUnwrap(env["RECON_SUMMARY"]).utf8)) as? NSDictionary)
        XCTAssertEqual(summary, (plan["plan"] as? [String: Any])?["summary"] as? NSDictionary, "RECON_SUMMARY is the plan file's summary")
        XCTAssertEqual(summary["add"] as? Int, 1)

        XCTAssertEqual(project.directory.read("argument.txt"), "$(touch pwned)", "no shell: the argument arrives as written")
        XCTAssertFalse(project.directory.exists("pwned"))

        let hooks = try XCTUnwrap(run["hooks"] as? [[String: Any]])
        XCTAssertEqual(hooks.first?["output"] as? String, "token is [redacted]\n")
        let ledger = try XCTUnwrap(project.directory.read("state/runs/\(run["id"] as! String)/ledger.json"))
        XCTAssertFalse(ledger.contains("listed-secret-value"), "a secret a hook printed never reaches the ledger")
    }

    func testPostApplyFailureIsAWarningAndJSONEventsNameTheHooks() throws {
        let project = try appliedProject()
        project.script("notify.sh", "echo slack is down\nexit 3")
        project.hooks("hooks:\n  post_apply:\n    - {run: [./scripts/notify.sh, --channel, catalog]}\n")

        let apply = try project.recon("apply", "--auto-approve", "--json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let events = apply.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let hook = try XCTUnwrap(events.first { $0["event"] as? String == "hook" }, apply.stdout)
        XCTAssertEqual(hook["point"] as? String, "post_apply")
        XCTAssertEqual(hook["argv"] as? [String], ["./scripts/notify.sh", "--channel", "catalog"])
        XCTAssertEqual(hook["exit_code"] as? Int, 3)
        XCTAssertTrue(events.contains { ($0["message"] as? String)?.contains("hook post_apply ./scripts/notify.sh exited with status 3") == true }, apply.stdout)
        XCTAssertEqual(events.last?["status"] as? String, "succeeded_with_warnings")
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills"), ["2"], "the apply went through")

        project.skill("alpha", "three")
        project.repo.commit("three")
        let text = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stderr.contains("warning: hook post_apply ./scripts/notify.sh exited with status 3: slack is down"), text.stderr)
        XCTAssertEqual(try project.lastRun()["status"] as? String, "succeeded_with_warnings")
    }

    /// Gone, or a zombie waiting for a reaper (it runs nothing). Waits, since SIGKILL takes effect asynchronously.
    static func isGone(_ pid: pid_t) -> Bool {
        for _ in 0..<150 {
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
               let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z" { return true }
            usleep(100_000)
        }
        return false
    }
}
