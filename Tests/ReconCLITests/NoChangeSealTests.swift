import Foundation
import TestSupport
import XCTest

/// A whole-scope run that finds nothing to do seals what it depended on; the next one answers from the seal with
/// exactly the same output, and anything the answer depended on sends it down the full path (issue 12).
final class NoChangeSealTests: XCTestCase {
    /// Applied, then planned once with the whole scope: the seal is written.
    private func sealedProject() throws -> CLIProject {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("two skills")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let full = try project.recon("plan", "--timings")
        XCTAssertEqual(full.status, 0, full.stderr)
        XCTAssertFalse(usedSeal(full), full.stderr)
        return project
    }

    /// `--timings` names the `seal` stage when the answer came from the seal.
    private func usedSeal(_ result: ReconProcess.Result) -> Bool { result.stderr.contains(" seal ") }

    /// Plans with `--timings`: the run must take the full path and print what a forced full refresh prints.
    private func assertFullPath(_ project: CLIProject, _ why: String, file: StaticString = #filePath, line: UInt = #line) throws
        -> ReconProcess.Result {
        let plan = try project.recon("plan", "--timings")
        XCTAssertFalse(usedSeal(plan), "\(why): \(plan.stderr)", file: file, line: line)
        let full = try project.recon("plan", "--refresh=full")
        XCTAssertEqual(plan.stdout, full.stdout, why, file: file, line: line)
        XCTAssertEqual(plan.status, full.status, why, file: file, line: line)
        return plan
    }

    func testTheSealedAnswerIsTheFullAnswerInEveryFormat() throws {
        let project = try sealedProject()
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM _recon_changes"), ["0"], "Recon's own writes are not logged")
        for format in ["text", "json", "markdown"] {
            let full = try project.recon("plan", "--refresh=full", "--format", format, "--timings")
            XCTAssertFalse(usedSeal(full), full.stderr)
            let fast = try project.recon("plan", "--format", format, "--timings")
            XCTAssertTrue(usedSeal(fast), "\(format): \(fast.stderr)")
            XCTAssertEqual(fast.stdout, full.stdout, format)
            XCTAssertEqual(fast.status, 0)
        }
        let fullApply = try project.recon("apply", "--auto-approve", "--refresh=full")
        let fastApply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(fastApply.stdout, fullApply.stdout)
        XCTAssertEqual(fastApply.status, 0, fastApply.stderr)
        let exit = try project.recon("plan", "-detailed-exitcode")
        XCTAssertEqual(exit.status, 0, exit.stderr)
    }

    func testAManifestsEditIsPlanned() throws {
        let project = try sealedProject()
        let path = "manifests/schema.yaml"
        let text = try String(contentsOfFile: project.path + "/" + path, encoding: .utf8)
        project.directory.write(path, text.replacingOccurrences(of: "- {name: Name, type: singleLineText}\n      - {name: Plugin",
                                                                with: "- {name: Name, type: singleLineText}\n      - {name: Notes, type: multilineText}\n      - {name: Plugin"))
        let plan = try assertFullPath(project, "manifests edited")
        XCTAssertTrue(plan.stdout.contains("Notes"), plan.stdout)
    }

    func testANewCommitIsPlanned() throws {
        let project = try sealedProject()
        project.skill("alpha", "three")
        project.repo.commit("a third")
        let plan = try assertFullPath(project, "new commit")
        XCTAssertTrue(plan.stdout.contains("1 to add"), plan.stdout)
    }

    func testAnEditedStateIsPlanned() throws {
        let project = try sealedProject()
        try project.forgetStateRecords()
        let plan = try assertFullPath(project, "state edited")
        XCTAssertFalse(plan.stdout.contains("No changes"), plan.stdout)
    }

    func testRowsWrittenOutsideReconArePlanned() throws {
        for (sql, expected) in [("UPDATE Skills SET Name = 'changed outside' WHERE Key = 'core:plugins/alpha/skills/one'", "1 to change"),
                                ("DELETE FROM Skills WHERE Key = 'core:plugins/alpha/skills/one'", "1 to add"),
                                // Counted as unmanaged, never touched: still nothing to do, but read again.
                                ("INSERT INTO Skills (_recon_id, Key, Name) VALUES ('recOutside000001', 'stray', 'Stray')", "No changes")] {
            let project = try sealedProject()
            _ = project.sql(sql)
            let plan = try assertFullPath(project, sql)
            XCTAssertTrue(plan.stdout.contains(expected), "\(sql): \(plan.stdout)")
        }
    }

    func testAColumnAddedOrTriggersDroppedOutsideReconMeanAFullRead() throws {
        let project = try sealedProject()
        _ = project.sql("ALTER TABLE Skills ADD COLUMN Extra TEXT")
        _ = try assertFullPath(project, "column added")
        let resealed = try project.recon("plan", "--timings")
        XCTAssertTrue(usedSeal(resealed), "the full path sealed again: \(resealed.stderr)")

        let trigger = try XCTUnwrap(project.sql("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_update'").first)
        _ = project.sql("DROP TRIGGER \"\(trigger)\"")
        _ = try assertFullPath(project, "trigger dropped")
        _ = try assertFullPath(project, "no trigger, so no seal")
    }

    func testABaseReplacedByAnOlderCopyIsPlanned() throws {
        let project = try sealedProject()
        let base = project.path + "/state/catalog.sqlite"
        try FileManager.default.copyItem(atPath: base, toPath: base + ".old")
        project.skill("alpha", "three")
        project.repo.commit("a third")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        XCTAssertFalse(usedSeal(try project.recon("plan", "--timings")))
        XCTAssertTrue(usedSeal(try project.recon("plan", "--timings")), "sealed at the new state")
        try FileManager.default.removeItem(atPath: base)
        try FileManager.default.moveItem(atPath: base + ".old", toPath: base)
        let plan = try assertFullPath(project, "older copy of the base")
        XCTAssertFalse(plan.stdout.contains("No changes"), plan.stdout)
    }

    func testAKilledApplyIsPlanned() throws {
        let project = try sealedProject()
        for index in 0..<6 { project.skill("beta", "s\(index)") }
        project.repo.commit("six more")
        let killed = try ReconProcess.run(["apply", "--auto-approve", "--batch-size", "2"], in: project.path,
                                          environment: ["RECON_TEST_KILL_AFTER_BATCH": "2"])
        XCTAssertNotEqual(killed.status, 0, killed.stdout)
        let plan = try assertFullPath(project, "killed apply")
        XCTAssertFalse(plan.stdout.contains("No changes"), plan.stdout)
    }

    func testADamagedOrForgedSealIsNoSeal() throws {
        let project = try sealedProject()
        let folder = project.path + "/state/cache/noop-seal"
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasPrefix("plan-") })
        let path = folder + "/" + name
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let intact = try Data(contentsOf: URL(fileURLWithPath: path))
        // A stray outside write the seal must not hide, then each kind of damage.
        _ = project.sql("UPDATE Skills SET Name = 'changed outside' WHERE Key = 'core:plugins/alpha/skills/one'")
        let text = String(decoding: intact, as: UTF8.self)
        let mark = try XCTUnwrap(text.range(of: #"serial=\d+"#, options: .regularExpression))
        let damaged: [(String, Data)] = [
            ("truncated", intact.prefix(intact.count / 2)),
            ("empty", Data()),
            ("edited without its checksum", Data(text.replacingCharacters(in: mark, with: "serial=999").utf8)),
            ("not JSON", Data("garbage".utf8)),
        ]
        for (why, bytes) in damaged {
            try bytes.write(to: URL(fileURLWithPath: path))
            let plan = try assertFullPath(project, why)
            XCTAssertTrue(plan.stdout.contains("1 to change"), "\(why): \(plan.stdout)")
        }
    }

    func testScopeFlagsAndAFullRefreshTakeTheFullPath() throws {
        let project = try sealedProject()
        for arguments in [["--target", "Skills"], ["--exclude", "Plugins"], ["--repo", "core"], ["--refresh=full"]] {
            let plan = try ReconProcess.run(["plan", "--timings"] + arguments, in: project.path)
            XCTAssertEqual(plan.status, 0, plan.stderr)
            XCTAssertFalse(usedSeal(plan), "\(arguments): \(plan.stderr)")
        }
        XCTAssertTrue(usedSeal(try project.recon("plan", "--timings")), "a scoped plan leaves the seal as it was")
        let bad = try project.recon("plan", "--refresh=partial")
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("invalid --refresh 'partial'"), bad.stderr)
    }

    func testDriftAnswersFromItsSealAndRecordsTheCheck() throws {
        let project = try sealedProject()
        let first = try project.recon("drift", "--format", "json")
        XCTAssertEqual(first.status, 0, first.stderr)
        let seals = try FileManager.default.contentsOfDirectory(atPath: project.path + "/state/cache/noop-seal")
        XCTAssertTrue(seals.contains { $0.hasPrefix("drift-") }, "\(seals)")
        let fast = try project.recon("drift", "--format", "json")
        XCTAssertEqual(fast.stdout, first.stdout)
        let full = try project.recon("drift", "--full", "--format", "json")
        XCTAssertEqual(full.stdout, first.stdout)
        let text = try project.recon("drift")
        XCTAssertEqual(text.stdout, try project.recon("drift", "--full").stdout)
        let listed = try project.recon("runs", "--format", "json")
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        let runs = try XCTUnwrap(document["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.filter { $0["operation"] as? String == "drift" }.count, 5, "every check is recorded: \(listed.stdout)")
        XCTAssertTrue(runs.allSatisfy { $0["status"] as? String == "succeeded" }, listed.stdout)

        _ = project.sql("UPDATE Skills SET Name = 'changed outside'")
        let drifted = try project.recon("drift")
        XCTAssertEqual(drifted.status, 2, drifted.stdout)
        XCTAssertEqual(drifted.stdout, try project.recon("drift", "--full").stdout)
    }
}
