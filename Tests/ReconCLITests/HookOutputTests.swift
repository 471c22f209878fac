import Foundation
import TestSupport
import XCTest

/// What a hook leaves behind: its output bounded, its background children gone, a command that cannot start.
final class HookOutputTests: XCTestCase {
    private func project(hooks: String) -> CLIProject {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        project.hooks(hooks)
        return project
    }

    func testABackgroundChildOfAHookThatExitedIsKilledAndTheHookSucceeds() throws {
        // Without the kill when the command ends, the child would hold the output pipe until the 60 s timeout.
        let project = project(hooks: "hooks:\n  post_apply:\n    - {run: [./scripts/detach.sh]}\n")
        project.script("detach.sh", "sleep 1000 &\necho $! > bg.pid\necho detached")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertFalse(apply.stderr.contains("warning"), apply.stderr)
        let child = try XCTUnwrap(project.directory.read("bg.pid").flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        XCTAssertTrue(HookApplyTests.isGone(child), "the background child \(child) outlived its hook")
        let hook = try XCTUnwrap((try project.lastRun()["hooks"] as? [[String: Any]])?.first)
        XCTAssertEqual(hook["status"] as? String, "succeeded")
        XCTAssertEqual(hook["output"] as? String, "detached\n")
    }

    func testLongOutputKeepsTheLast64KiBFromAWholeLineAndSaysWhatWasCut() throws {
        let project = project(hooks: "hooks:\n  pre_apply:\n    - {run: [./scripts/loud.sh]}\n")
        // 3,000 lines of 42 bytes: about 120 KiB, then a last line and a failure.
        project.script("loud.sh", "i=0\nwhile [ $i -lt 3000 ]; do printf 'line %05d ..............................\\n' $i; i=$((i+1)); done\necho the end\nexit 2")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 1)
        XCTAssertTrue(apply.stderr.contains("hook pre_apply ./scripts/loud.sh exited with status 2"), apply.stderr)
        XCTAssertTrue(apply.stderr.contains("its output (last 10 lines):"), apply.stderr)
        XCTAssertTrue(apply.stderr.contains("| the end"), apply.stderr)
        XCTAssertFalse(apply.stderr.contains("line 02989"), "only the last lines are shown")

        let hook = try XCTUnwrap((try project.lastRun()["hooks"] as? [[String: Any]])?.first)
        let output = try XCTUnwrap(hook["output"] as? String)
        let dropped = try XCTUnwrap(hook["output_dropped_bytes"] as? Int)
        XCTAssertLessThanOrEqual(output.utf8.count, 64 * 1024)
        XCTAssertEqual(output.utf8.count + dropped, 3000 * 42 + 8, "kept and dropped add up to all of it")
        XCTAssertTrue(output.hasPrefix("line "), "the kept part starts at a whole line")
        XCTAssertTrue(output.hasSuffix("line 02999 ..............................\nthe end\n"))
    }

    func testACommandThatCannotStartStopsTheApplyNamingWhy() throws {
        let project = project(hooks: "hooks:\n  pre_apply:\n    - {run: [./scripts/absent.sh]}\n")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 1)
        XCTAssertTrue(apply.stderr.contains("hook pre_apply ./scripts/absent.sh could not start: cannot run ./scripts/absent.sh: No such file or directory"), apply.stderr)
        XCTAssertFalse(project.directory.exists("state/catalog.sqlite"), "nothing was written to the base")
        let hook = try XCTUnwrap((try project.lastRun()["hooks"] as? [[String: Any]])?.first)
        XCTAssertEqual(hook["status"] as? String, "not_started")
    }
}

extension HookOutputTests {
    /// recon may inherit descriptors (here: the socket Foundation's Process gives it); a hook gets none of them,
    /// or a child that escaped its group could hold recon's caller waiting.
    func testAHookInheritsOnlyItsStandardDescriptors() throws {
        let project = project(hooks: "hooks:\n  pre_plan:\n    - {run: [./scripts/fds.sh]}\n")
        project.script("fds.sh", "for f in /proc/$$/fd/*; do echo \"${f##*/} $(readlink $f)\"; done > fds.txt")
        XCTAssertEqual(try project.recon("plan").status, 0)
        let lines = try XCTUnwrap(project.directory.read("fds.txt")).split(separator: "\n")
        // The shell's own descriptors (its script, saved copies, a command substitution's pipe) are pipes and the script.
        let inherited = lines.filter { $0.contains("socket:") || $0.contains("/state/") }
        XCTAssertEqual(inherited, [], "\(lines)")
    }
}
