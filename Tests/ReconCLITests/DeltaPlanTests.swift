import Foundation
import ReconCore
import TestSupport
import XCTest

/// After a whole-scope apply, the next whole-scope run plans only the records that can differ (the delta baseline,
/// issue 12, goal 4). The oracle: the delta plan's file is byte for byte the plan a forced full refresh makes, on a
/// real git repo and a real SQLite base, for each case; each fallback has a control where the delta path is taken.
final class DeltaPlanTests: XCTestCase {
    /// Five skills of two plugins, applied with the whole scope (the apply records the baseline).
    private func appliedProject(policy: String = "", protected: Bool = true) throws -> CLIProject {
        let project = CLIProject(protected: protected)
        if !policy.isEmpty { project.directory.write("manifests/policy.yaml", policy) }
        for name in ["one", "two", "three"] { project.skill("alpha", name) }
        for name in ["four", "five"] { project.skill("beta", name) }
        project.repo.commit("five skills")
        try apply(project)
        return project
    }

    /// Applies with the whole scope; RC101 (a fifth of five records deleted) allowed.
    @discardableResult
    private func apply(_ project: CLIProject, file: StaticString = #filePath, line: UInt = #line) throws -> ReconProcess.Result {
        let apply = try project.recon("apply", "--auto-approve", "--allow", "RC101", "--timings")
        XCTAssertEqual(apply.status, 0, apply.stderr, file: file, line: line)
        return apply
    }

    private func usedDelta(_ result: ReconProcess.Result) -> Bool { result.stderr.contains("refresh.delta") }

    /// Plans twice, the second time with `--refresh=full`: the saved files must be the same bytes, and the first run
    /// must have taken the delta path exactly when `delta` says. Returns the full plan's text.
    @discardableResult
    private func assertSamePlan(_ project: CLIProject, delta: Bool, _ why: String,
                                file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let fast = try project.recon("plan", "-out", "fast.json", "--timings")
        XCTAssertEqual(usedDelta(fast), delta, "\(why): \(fast.stderr)", file: file, line: line)
        let full = try project.recon("plan", "-out", "full.json", "--refresh=full", "--timings")
        XCTAssertFalse(usedDelta(full), why, file: file, line: line)
        XCTAssertEqual(fast.status, full.status, why, file: file, line: line)
        let fastBytes = try Data(contentsOf: URL(fileURLWithPath: project.path + "/fast.json"))
        let fullBytes = try Data(contentsOf: URL(fileURLWithPath: project.path + "/full.json"))
        XCTAssertEqual(String(decoding: fastBytes, as: UTF8.self), String(decoding: fullBytes, as: UTF8.self), why, file: file, line: line)
        let text = try project.recon("show", "full.json")
        let fastText = try project.recon("show", "fast.json")
        XCTAssertEqual(fastText.stdout, text.stdout, why, file: file, line: line)
        return text.stdout
    }

    private var baselineFolder: String { "state/cache/delta-baseline" }

    private func baselinePath(_ project: CLIProject) throws -> String {
        let folder = project.path + "/" + baselineFolder
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: folder).first, "no baseline")
        return folder + "/" + name
    }

    func testAnEditIsPlannedFromTheDeltaAndASecondApplyInARowToo() throws {
        let project = try appliedProject()
        let path = try baselinePath(project)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        project.skill("alpha", "one", title: "One, edited")
        project.repo.commit("edit one")
        let text = try assertSamePlan(project, delta: true, "an edit")
        XCTAssertTrue(text.contains("1 to change"), text)
        XCTAssertTrue(usedDelta(try apply(project)), "the apply plans from the delta too")
        project.skill("beta", "five", title: "Five, edited")
        project.repo.commit("edit five")
        let second = try assertSamePlan(project, delta: true, "a second apply in a row")
        XCTAssertTrue(second.contains("1 to change"), second)
        try apply(project)
        let quiet = try assertSamePlan(project, delta: true, "nothing left to do")
        XCTAssertTrue(quiet.contains("No changes"), quiet)
    }

    func testAnAddedAndARemovedFileArePlannedFromTheDelta() throws {
        let project = try appliedProject()
        project.skill("beta", "six")
        project.repo.commit("add six")
        let added = try assertSamePlan(project, delta: true, "an added file")
        XCTAssertTrue(added.contains("1 to add"), added)
        try apply(project)
        project.repo.remove("plugins/alpha/skills/two/SKILL.md")
        project.repo.commit("remove two")
        let removed = try assertSamePlan(project, delta: true, "a removed file")
        XCTAssertTrue(removed.contains("1 to destroy") || removed.contains("1 to delete"), removed)
        try apply(project)
        try assertSamePlan(project, delta: true, "after the delete")
    }

    /// A delta apply's state write copies the records it left as loaded from the file it loaded (StateSpliceTests):
    /// the file is still the canonical form of the state (`state pull`'s bytes), its history copy is the same bytes,
    /// and the baseline holds the digest the write returned, which is the file's.
    func testADeltaApplyWritesTheCanonicalStateAndTheBaselineHoldsItsDigest() throws {
        let project = try appliedProject()
        project.skill("alpha", "one", title: "One, edited")
        project.skill("alpha", "onf")
        project.repo.remove("plugins/beta/skills/four/SKILL.md")
        project.repo.commit("an edit, an add between carried keys, a delete")
        XCTAssertTrue(usedDelta(try apply(project)), "the apply plans from the delta")
        for round in ["after the delta apply", "after a second delta apply"] {
            let file = try XCTUnwrap(FileManager.default.contents(atPath: project.path + "/state/recon.state.json"), round)
            let pull = try project.recon("state", "pull")
            XCTAssertEqual(pull.status, 0, pull.stderr)
            XCTAssertEqual(Data(pull.stdout.utf8), file, round)
            let history = project.path + "/state/history"
            let newest = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: history).sorted().last)
            XCTAssertEqual(FileManager.default.contents(atPath: history + "/" + newest), file, round)
            let outer = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: try baselinePath(project)))) as? [String: Any])
            let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try XCTUnwrap(outer["body"] as? String).utf8)) as? [String: Any])
            XCTAssertEqual(body["state_digest"] as? String, SHA256.hex(Array(file)), round)
            project.skill("beta", "five", title: "Five, edited")
            project.repo.commit("edit five")
            XCTAssertTrue(usedDelta(try apply(project)), round)
        }
        try assertSamePlan(project, delta: true, "nothing left to do")
    }

    func testAReportedDriftStandsInEveryDeltaPlan() throws {
        let project = try appliedProject(policy: "policy: {drift: report}\n")
        _ = project.sql("UPDATE Skills SET Name = 'changed outside' WHERE Key = 'core:plugins/alpha/skills/one'")
        project.skill("alpha", "two", title: "Two, edited")
        project.repo.commit("edit two")
        try assertSamePlan(project, delta: false, "a write outside Recon since the apply")
        try apply(project)
        project.skill("beta", "four", title: "Four, edited")
        project.repo.commit("edit four")
        let text = try assertSamePlan(project, delta: true, "drift reported and left standing")
        XCTAssertTrue(text.contains("changed outside"), text)
    }

    func testAProtectedFieldSkipStandsInEveryDeltaPlan() throws {
        let project = try appliedProject()
        _ = project.sql("UPDATE Skills SET Status = 'Published' WHERE Key = 'core:plugins/alpha/skills/three'")
        project.skill("alpha", "two", title: "Two, edited")
        project.repo.commit("edit two")
        try apply(project)
        project.skill("beta", "four", title: "Four, edited")
        project.repo.commit("edit four")
        let text = try assertSamePlan(project, delta: true, "a protected field left standing")
        XCTAssertTrue(text.contains("Protected fields left as people set them: Skills.Status on 1 record"), text)
    }

    func testUnmanagedRecordsAreCountedAndAdoptedAsTheFullPathDoes() throws {
        let project = try appliedProject()
        _ = project.sql("INSERT INTO Skills (_recon_id, Key, Name) VALUES ('recOutside000001', 'stray', 'Stray')")
        _ = project.sql("INSERT INTO Skills (_recon_id, Key, Name) VALUES ('recOutside000002', 'core:plugins/beta/skills/seven', 'Seven')")
        project.skill("alpha", "two", title: "Two, edited")
        project.repo.commit("edit two")
        try apply(project)
        project.skill("alpha", "one", title: "One, edited")
        project.repo.commit("edit one")
        try assertSamePlan(project, delta: true, "unmanaged records counted from the baseline")
        project.skill("beta", "seven")
        project.repo.commit("add seven, which the base holds")
        let text = try assertSamePlan(project, delta: true, "an added file whose key an unmanaged record holds")
        XCTAssertTrue(text.contains("adopt"), text)
        try apply(project)
        try assertSamePlan(project, delta: true, "after the adoption")
    }

    func testARecordEditedInTheBaseIsTheFullPath() throws {
        let project = try appliedProject()
        project.skill("alpha", "one", title: "One, edited")
        project.repo.commit("edit one")
        try assertSamePlan(project, delta: true, "control: nothing written outside Recon")
        _ = project.sql("UPDATE Skills SET Name = 'changed outside' WHERE Key = 'core:plugins/beta/skills/five'")
        let text = try assertSamePlan(project, delta: false, "a record edited in the base")
        XCTAssertTrue(text.contains("changed outside"), text)
    }

    /// A change made outside Recon while an apply runs, after the plan read the base and before the baseline's mark
    /// (here by the apply's own hooks), is not the apply's: the baseline must not vouch for it, or the next plan says
    /// "No changes" over a base that is not as the apply left it. A row written, a column dropped and added again (DDL
    /// logs no row), the base put back from a copy taken before the apply's writes.
    func testAChangeOutsideReconDuringTheApplyLeavesNoBaseline() throws {
        let skill = "Key = 'core:plugins/beta/skills/five'"
        let cases: [(what: String, pre: String, post: String, shows: String)] = [
            ("a record edited in the base", "",
             "sqlite3 state/catalog.sqlite \"UPDATE Skills SET Name = 'changed during the apply' WHERE \(skill)\"",
             "changed during the apply"),
            ("a column dropped and added again", "",
             "sqlite3 state/catalog.sqlite 'ALTER TABLE Skills DROP COLUMN Name; ALTER TABLE Skills ADD COLUMN Name TEXT'",
             "to change"),
            ("the base put back from a copy", "cp state/catalog.sqlite before.sqlite", "cp before.sqlite state/catalog.sqlite",
             "Two, edited"),
        ]
        for change in cases {
            let project = try appliedProject()
            project.script("pre.sh", "[ -f edit.flag ] || exit 0\n" + change.pre)
            project.script("post.sh", "[ -f edit.flag ] || exit 0\n" + change.post)
            project.hooks("hooks:\n  pre_apply: [{run: [./scripts/pre.sh]}]\n  post_apply: [{run: [./scripts/post.sh]}]\n")
            project.skill("alpha", "one", title: "One, edited")
            project.repo.commit("edit one")
            try apply(project)
            project.skill("alpha", "two", title: "Two, edited")
            project.repo.commit("edit two")
            try assertSamePlan(project, delta: true, "control: the hooks changed nothing (\(change.what))")
            project.directory.write("edit.flag", "")
            try apply(project)
            let text = try assertSamePlan(project, delta: false, change.what)
            XCTAssertTrue(text.contains(change.shows), "\(change.what): \(text)")
        }
    }

    /// A first apply reads no table, so its baseline can vouch only from the moment its tables are tracked: a row
    /// written into a table it made, after the `CREATE TABLE` and before the triggers, is logged nowhere. The apply
    /// pauses there (a test-only point) while another program inserts; that apply must leave no baseline.
    func testARowWrittenBeforeTheNewTablesAreTrackedLeavesNoBaseline() throws {
        for outside in [false, true] {
            let project = CLIProject()
            for name in ["one", "two"] { project.skill("alpha", name) }
            project.repo.commit("two skills")
            let insert = "INSERT INTO Skills (_recon_id, Key, Name) VALUES ('recOutside000001', 'outside:row', 'written before tracking')"
            project.script("gap.sh", """
                RECON_TEST_PAUSE_AFTER_SCHEMA=1 RECON_TEST_PAUSE_FILE="$PWD/go" "$1" apply --auto-approve > apply.log 2>&1 &
                pid=$!
                while [ ! -f go.waiting ]; do kill -0 $pid 2>/dev/null || exit 3; sleep 0.05; done
                \(outside ? "sqlite3 state/catalog.sqlite \"\(insert)\" || { touch go; exit 4; }" : ":")
                touch go
                wait $pid
                """)
            let gap = try ReconProcess.shell(["sh", "scripts/gap.sh", ReconProcess.executable], in: project.path)
            XCTAssertEqual(gap.status, 0, gap.stdout + gap.stderr + ((try? String(contentsOfFile: project.path + "/apply.log", encoding: .utf8)) ?? ""))
            XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), [outside ? "3" : "2"])
            project.skill("alpha", "one", title: "One, edited")
            project.repo.commit("edit one")
            let why = outside ? "a row written between CREATE TABLE and the triggers" : "control: nothing written in the gap"
            let text = try assertSamePlan(project, delta: !outside, why)
            if outside { XCTAssertTrue(text.contains("Records not managed by Recon, left alone: Skills 1."), text) }
        }
    }

    /// The lean load (fix/lean) keeps the values of the planned records only: a run that leaves the delta path after
    /// it (here a cold extract, read on from no sealed entry) loads the state again, whole, and plans as a forced full
    /// refresh does; the apply then writes the state a full encode writes.
    func testAColdExtractLeavesTheDeltaPathWithTheStateLoadedWhole() throws {
        let project = try appliedProject()
        project.skill("alpha", "one", title: "One, edited")
        project.repo.commit("edit one")
        let control = try project.recon("plan", "--timings")
        XCTAssertTrue(usedDelta(control) && control.stderr.contains("state.values") && !control.stderr.contains("state.whole"),
                      control.stderr)
        try FileManager.default.removeItem(atPath: project.path + "/state/cache/extract")
        let cold = try project.recon("plan", "--timings")
        XCTAssertTrue(cold.stderr.contains("state.whole") && !cold.stderr.contains("diff.delta"), cold.stderr)
        try FileManager.default.removeItem(atPath: project.path + "/state/cache/extract")
        // `refresh.delta` is timed when the gate's read says no, too.
        try assertSamePlan(project, delta: true, "a cold extract")
        try FileManager.default.removeItem(atPath: project.path + "/state/cache/extract")
        let apply = try apply(project)
        XCTAssertTrue(apply.stderr.contains("state.whole"), apply.stderr)
        let file = try XCTUnwrap(FileManager.default.contents(atPath: project.path + "/state/recon.state.json"))
        let pulled = try project.recon("state", "pull")
        XCTAssertEqual(String(decoding: file, as: UTF8.self), pulled.stdout, "the state file is a full encode")
        try assertSamePlan(project, delta: true, "after the apply")
    }

    func testATableAddedToTheManifestsIsTheFullPath() throws {
        let project = try appliedProject()
        project.skill("alpha", "one", title: "One, edited")
        project.repo.commit("edit one")
        try assertSamePlan(project, delta: true, "control: the manifests as applied")
        project.directory.write("manifests/notes.yaml", """
            tables:
              - name: Notes
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
            """)
        let text = try assertSamePlan(project, delta: false, "a table added to the manifests")
        XCTAssertTrue(text.contains("Notes"), text)
    }

    /// A crash after the state write and before the baseline write leaves the previous apply's baseline: its state
    /// digest (and run) no longer match, so it is never trusted.
    func testABaselineOlderThanTheStateIsNeverTrusted() throws {
        let project = try appliedProject()
        let path = try baselinePath(project)
        let old = try Data(contentsOf: URL(fileURLWithPath: path))
        project.skill("alpha", "one", title: "One, edited")
        project.repo.commit("edit one")
        try apply(project)
        project.skill("alpha", "two", title: "Two, edited")
        project.repo.commit("edit two")
        try assertSamePlan(project, delta: true, "control: the baseline this apply wrote")
        try old.write(to: URL(fileURLWithPath: path))
        try assertSamePlan(project, delta: false, "the previous apply's baseline")
        try FileManager.default.removeItem(atPath: path)
        try assertSamePlan(project, delta: false, "no baseline")
    }

    func testADamagedBaselineIsNoBaseline() throws {
        let project = try appliedProject()
        project.skill("alpha", "one", title: "One, edited")
        project.repo.commit("edit one")
        let path = try baselinePath(project)
        let intact = try Data(contentsOf: URL(fileURLWithPath: path))
        try assertSamePlan(project, delta: true, "control: intact")
        var damaged = intact
        damaged[damaged.count / 2] ^= 0x01
        try damaged.write(to: URL(fileURLWithPath: path))
        try assertSamePlan(project, delta: false, "one bit flipped")
        try intact.prefix(intact.count - 3).write(to: URL(fileURLWithPath: path))
        try assertSamePlan(project, delta: false, "truncated")
    }

    /// The delta path loads the state while the repos are extracted (`StateAndExtraction`): when both fail, the state's
    /// refusal is the one reported, as when they ran one after the other; each alone is reported as itself, and nothing
    /// is written.
    func testADamagedStateIsReportedBeforeABrokenRepoOnTheDeltaPath() throws {
        let project = try appliedProject()
        project.skill("alpha", "two", title: "Two, edited")
        project.repo.commit("edit two")
        try assertSamePlan(project, delta: true, "control: the baseline holds (the repo's contents do not reach it)")
        project.repo.write("plugins/alpha/skills/one/SKILL.md", "---\nname: [unclosed\n---\nBody.\n")
        project.repo.commit("break one")
        let statePath = project.path + "/state/recon.state.json"
        let intact = try Data(contentsOf: URL(fileURLWithPath: statePath))
        let broken = try project.recon("plan")
        XCTAssertNotEqual(broken.status, 0, broken.stderr)
        XCTAssertTrue(broken.stderr.contains("plugins/alpha/skills/one/SKILL.md:3:1"), "control: the repo's error: \(broken.stderr)")
        try intact.prefix(intact.count / 2).write(to: URL(fileURLWithPath: statePath))
        let both = try project.recon("plan")
        XCTAssertNotEqual(both.status, 0, both.stderr)
        XCTAssertTrue(both.stderr.contains("is corrupt or truncated"), both.stderr)
        XCTAssertFalse(both.stderr.contains("SKILL.md"), both.stderr)
        project.skill("alpha", "one", title: "One, edited")
        project.repo.commit("mend one")
        let state = try project.recon("apply", "--auto-approve")
        XCTAssertNotEqual(state.status, 0, state.stderr)
        XCTAssertTrue(state.stderr.contains("is corrupt or truncated"), state.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: statePath)), intact.prefix(intact.count / 2), "nothing written")
        XCTAssertEqual(project.sql("SELECT Name FROM Skills ORDER BY Name").first, "five", "the base untouched")
        XCTAssertFalse(project.sql("SELECT Name FROM Skills").contains("One, edited"), "the base untouched")
    }

    func testAScopedApplyLeavesNoBaselineAndAFullRefreshIsTheFullPath() throws {
        let project = try appliedProject()
        project.skill("alpha", "one", title: "One, edited")
        project.repo.commit("edit one")
        let forced = try project.recon("apply", "--auto-approve", "--refresh=full", "--timings")
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertFalse(usedDelta(forced), forced.stderr)
        project.skill("alpha", "two", title: "Two, edited")
        project.repo.commit("edit two")
        try assertSamePlan(project, delta: true, "control: a forced full apply writes a baseline too")
        let scoped = try project.recon("apply", "--auto-approve", "--target", "Skills/core:plugins/alpha/skills/two")
        XCTAssertEqual(scoped.status, 0, scoped.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/" + baselineFolder + "/"
            + ((try? FileManager.default.contentsOfDirectory(atPath: project.path + "/" + baselineFolder).first) ?? "none")))
        project.skill("alpha", "three", title: "Three, edited")
        project.repo.commit("edit three")
        try assertSamePlan(project, delta: false, "after a scoped apply")
    }

    /// A glob or case-folding pathspec mode in the user's environment does not reach git: the listing of the changed
    /// paths after a delta (literal pathspecs, which git refuses beside them) still reads on (found in review).
    func testInheritedPathspecModesDoNotStopTheDelta() throws {
        let project = try appliedProject()
        project.skill("alpha", "one", title: "One, edited")
        project.repo.commit("edit one")
        try apply(project)
        for (variable, round) in [("GIT_GLOB_PATHSPECS", 1), ("GIT_ICASE_PATHSPECS", 2)] {
            project.skill("beta", "five", title: "Five, edited \(round)")
            project.repo.commit("edit five \(round)")
            let apply = try ReconProcess.run(["apply", "--auto-approve", "--timings"], in: project.path, environment: [variable: "1"])
            XCTAssertEqual(apply.status, 0, "\(variable): \(apply.stderr)")
            XCTAssertTrue(usedDelta(apply), apply.stderr)
            XCTAssertTrue(apply.stdout.contains("0 added, 1 changed, 0 deleted"), apply.stdout)
        }
    }
}
