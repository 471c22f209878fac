import Foundation
import ReconCore
import TestSupport
import XCTest

/// A plan saved by `recon plan -out` here, by this build, is applied on its receipt without being made again
/// (`preflight.receipt` in `--timings`); any doubt about the receipt or what it vouches for makes it again
/// (`preflight.rederive`), which refuses what it always refused. Real binary, real git repo, real SQLite file.
final class PlanReceiptTests: XCTestCase {
    private let one = "core:plugins/alpha/skills/one"
    private let receipts = "state/cache/plan-receipts"

    private func stages(_ stderr: String) -> [String] {
        guard let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix("Timings: ") }) else { return [] }
        return line.dropFirst("Timings: ".count).split(separator: ",").compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// Applies plan.json with `--timings`; returns how the plan was checked (`receipt` or `rederive`). With `vouched`,
    /// also whether the receipt vouched for the body's bytes at the read (`read.receipt`: no canonical digest taken).
    private func applySaved(_ project: CLIProject, _ extra: String..., vouched: Bool? = nil,
                            file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        let apply = try ReconProcess.run(["apply", "plan.json", "--timings"] + extra, in: project.path)
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr, file: file, line: line)
        if let vouched { XCTAssertEqual(stages(apply.stderr).contains("read.receipt"), vouched, apply.stderr, file: file, line: line) }
        let checks = stages(apply.stderr).filter { $0.hasPrefix("preflight.") }
        XCTAssertEqual(checks.count, 1, apply.stderr, file: file, line: line)
        return checks.first.map { String($0.dropFirst("preflight.".count)) }
    }

    private func digestHex(_ project: CLIProject) throws -> String {
        let document = try JSONParser.parse(Array(try XCTUnwrap(project.directory.read("plan.json")).utf8))
        return String(try XCTUnwrap(document["digest"]?.stringValue).dropFirst("sha256:".count))
    }

    func testAPlanSavedHereIsAppliedOnItsReceiptAndTheReceiptIsThenRemoved() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let receipt = "\(receipts)/\(try digestHex(project)).json"
        XCTAssertTrue(project.directory.exists(receipt), "plan -out wrote a receipt: \(project.directory.list(receipts))")
        var info = stat()
        XCTAssertEqual(stat(project.directory.file(receipt), &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        XCTAssertEqual(try applySaved(project, vouched: true), "receipt")
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["One v2"])
        XCTAssertFalse(project.directory.exists(receipt), "an applied plan's receipt is removed")
        let settled = try project.recon("plan", "-detailed-exitcode")
        XCTAssertEqual(settled.status, 0, settled.stdout)
    }

    /// The read skips the canonical digest only for the very bytes `plan -out` wrote: a file reformatted (same
    /// canonical body, same digest) is hashed again, and still applied on its receipt.
    func testAReformattedPlanIsHashedAgainAndStillAppliedOnItsReceipt() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let document = try JSONParser.parse(Array(try XCTUnwrap(project.directory.read("plan.json")).utf8))
        project.directory.write("plan.json", document.canonicalString())
        XCTAssertEqual(try applySaved(project, vouched: false), "receipt")
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["One v2"])
    }

    /// A body edited with the recorded digest left as it was: the receipt of that digest exists, but it vouches for
    /// other bytes, so the canonical digest is taken and the file refused.
    func testABodyEditedUnderItsRecordedDigestIsRefusedDespiteItsReceipt() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let receipt = "\(receipts)/\(try digestHex(project)).json"
        let text = try XCTUnwrap(project.directory.read("plan.json"))
        XCTAssertTrue(text.contains("\"One v2\""), text)
        project.directory.write("plan.json", text.replacingOccurrences(of: "\"One v2\"", with: "\"evil!\""))
        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 1, apply.stdout + apply.stderr)
        XCTAssertTrue(apply.stderr.contains("modified after it was made"), apply.stderr)
        XCTAssertTrue(project.directory.exists(receipt))
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["one"], "nothing was written")
    }

    func testWithoutAReceiptThePlanIsMadeAgain() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        try FileManager.default.removeItem(atPath: project.directory.file(receipts))
        XCTAssertEqual(try applySaved(project, vouched: false), "rederive")
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["One v2"])
    }

    func testAnEditedReceiptIsNotTrusted() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let receipt = "\(receipts)/\(try digestHex(project)).json"
        let text = try XCTUnwrap(project.directory.read(receipt))
        XCTAssertTrue(text.contains("unreadable=0"), text)
        project.directory.write(receipt, text.replacingOccurrences(of: "unreadable=0", with: "unreadable=1"))
        XCTAssertEqual(try applySaved(project, vouched: false), "rederive")
    }

    func testAReceiptCopiedToAnotherCheckoutIsNotTrusted() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let other = TemporaryDirectory("cli-project-copy")
        let copy = try ReconProcess.shell(["cp", "-a", project.path + "/.", other.path])
        XCTAssertEqual(copy.status, 0, copy.stderr)
        // The other checkout has its own key: the receipt, the plan and everything else are the same.
        try FileManager.default.removeItem(atPath: other.file("state/.trust-key"))
        XCTAssertTrue(other.exists("\(receipts)/\(try digestHex(project)).json"))
        let apply = try ReconProcess.run(["apply", "plan.json", "--timings"], in: other.path)
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertTrue(stages(apply.stderr).contains("preflight.rederive"), apply.stderr)
        XCTAssertFalse(stages(apply.stderr).contains("read.receipt"), apply.stderr)
    }

    func testAPlanEditedAfterPlanningIsRefusedEvenWithItsReceiptRenamedToTheNewDigest() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let original = "\(receipts)/\(try digestHex(project)).json"
        XCTAssertTrue(project.directory.exists(original))
        try SavedPlanFixture.tamper(project) { body in
            let text = body["record_changes"]!.canonicalString().replacingOccurrences(of: "\"One v2\"", with: "\"evil\"")
            body["record_changes"] = try JSONParser.parse(Array(text.utf8))
        }
        _ = project.directory.write("\(receipts)/\(try digestHex(project)).json", try XCTUnwrap(project.directory.read(original)))
        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 1, apply.stdout + apply.stderr)
        XCTAssertTrue(apply.stderr.contains("evil"), apply.stderr)
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["one"], "nothing was written")
    }

    func testARepoThatMovedSincePlanningIsRefused() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        project.skill("alpha", "two", title: "Two v2")
        project.repo.commit("rename two")
        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 1, apply.stdout + apply.stderr)
        XCTAssertTrue(apply.stderr.contains("repo 'core' was at"), apply.stderr)
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["one"], "nothing was written")
        XCTAssertFalse(project.directory.exists("\(receipts)/\(try digestHex(project)).json"), "a stale plan's receipt is removed")
    }

    func testASchemaChangedInTheBaseMakesThePlanAgain() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        // As a person editing the field in the base's UI would: its description, in Recon's metadata.
        _ = project.sql("UPDATE _recon_fields SET description = 'edited in the base' WHERE name = 'Name' "
                        + "AND table_id = (SELECT id FROM _recon_tables WHERE name = 'Skills')")
        XCTAssertEqual(try applySaved(project), "rederive")
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["One v2"])
    }

    func testAValueChangedInTheBaseThatThePlanOnlyRecordsMakesThePlanAgain() throws {
        // The base already holds the new name (converged): the plan only moves the state, and fingerprints nothing.
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        _ = project.sql("UPDATE Skills SET Name = 'One v2' WHERE Key = '\(one)'")
        XCTAssertEqual(try project.recon("plan", "-out", "plan.json").status, 0)
        _ = project.sql("UPDATE Skills SET Name = 'by hand' WHERE Key = '\(one)'")
        XCTAssertNotEqual(try project.recon("apply", "plan.json").status, 0, "the planner no longer makes that change")
    }

    func testCheckFindingsStillRefuseAndTheReceiptOutlivesTheRefusal() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        project.repo.remove("plugins/alpha/skills/one")
        project.repo.remove("plugins/alpha/skills/two")
        project.repo.commit("no skills")
        XCTAssertEqual(try project.recon("plan", "-out", "plan.json").status, 0)
        let refused = try project.recon("apply", "plan.json")
        XCTAssertEqual(refused.status, 1, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("RC101"), refused.stderr)
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills"), ["2"])
        XCTAssertEqual(try applySaved(project, "--allow", "RC101"), "receipt")
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills"), ["0"])
    }

    func testAPlanThatAdoptsATableHasNoReceipt() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one skill")
        try FileManager.default.createDirectory(atPath: project.path + "/state", withIntermediateDirectories: true)
        _ = project.sql("CREATE TABLE Skills (Key TEXT, Name TEXT, Status TEXT); INSERT INTO Skills VALUES ('\(one)', 'old', NULL);")
        XCTAssertEqual(try project.recon("plan", "-out", "plan.json").status, 0)
        XCTAssertEqual(project.directory.list(receipts), [])
        XCTAssertEqual(try applySaved(project), "rederive")
    }

    func testAPlanMadeFromAWorkingTreeHasNoReceipt() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one skill")
        let schema = try XCTUnwrap(project.directory.read("manifests/schema.yaml"))
        project.directory.write("manifests/schema.yaml", schema.replacingOccurrences(of: "    path: ", with: "    worktree: true\n    path: "))
        let plan = try project.recon("plan", "-out", "plan.json")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertEqual(project.directory.list(receipts), [])
        XCTAssertEqual(try applySaved(project), "rederive")
    }

    func testARunSincePlanningMakesThePlanAgain() throws {
        let project = CLIProject(protected: false)
        for index in 0..<2 { project.skill("p0", "s\(index)") }
        project.repo.commit("skills")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        project.skill("p0", "s0", title: "renamed")
        for index in 2..<10 { project.skill("p0", "s\(index)") }
        project.repo.commit("more skills")
        XCTAssertEqual(try project.recon("plan", "--target", "Skills/core:plugins/p0/skills/s0", "-out", "plan.json").status, 0)
        // A run killed once its first batch of creates reached the base, before its outcomes or any state write.
        let killed = try ReconProcess.run(["apply", "--auto-approve", "--batch-size", "4"], in: project.path,
                                          environment: ["RECON_TEST_KILL_AFTER_BATCH": "1"])
        XCTAssertNotEqual(killed.status, 0, killed.stdout)
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills"), ["6"])
        XCTAssertEqual(try applySaved(project), "rederive")
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = 'core:plugins/p0/skills/s0'"), ["renamed"])
    }

    func testTheReceiptFolderKeepsOnlyTheNewestFifty() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        // Receipts of 55 plans never applied, older than the next one.
        for index in 0..<55 {
            let path = project.directory.write("\(receipts)/\(String(format: "%064x", index)).json", "{}")
            var times = [timespec(tv_sec: 1_000_000 + index, tv_nsec: 0), timespec(tv_sec: 1_000_000 + index, tv_nsec: 0)]
            XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
        }
        XCTAssertEqual(try project.recon("plan", "-out", "plan.json").status, 0)
        let kept = Set(project.directory.list(receipts))
        XCTAssertEqual(kept.count, 50, "\(kept.sorted())")
        XCTAssertTrue(kept.contains("\(try digestHex(project)).json"), "the newest receipt is kept")
        XCTAssertFalse(kept.contains("\(String(format: "%064x", 5)).json"), "the oldest are removed")
        XCTAssertTrue(kept.contains("\(String(format: "%064x", 6)).json"))
        XCTAssertEqual(try applySaved(project), "receipt")
    }

    func testAPlanSavedAsJSONOrSignedHasItsReceiptToo() throws {
        let key = ["RECON_PLAN_KEY": "k3y-for-this-test-only-0123456789abcdef"]
        let project = try SavedPlanFixture.projectWithUpdatePlan(environment: key)
        let json = try ReconProcess.run(["plan", "--format", "json", "-out", "plan.json"], in: project.path, environment: key)
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertTrue(project.directory.exists("\(receipts)/\(try digestHex(project)).json"))
        let apply = try ReconProcess.run(["apply", "plan.json", "--timings"], in: project.path, environment: key)
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertTrue(stages(apply.stderr).contains("preflight.receipt"), apply.stderr)
        XCTAssertFalse(stages(apply.stderr).contains("read.receipt"), "a signature is checked over the canonical body")
    }

    func testAPlanSavedAsJSONHasItsBodyVouchedFor() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let json = try project.recon("plan", "--format", "json", "-out", "plan.json")
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertEqual(try applySaved(project, vouched: true), "receipt")
    }

    /// A binary changed in place to the same size, its modification time put back (`touch -r`), is another build:
    /// the identity counts the file's inode and change time too, which no user can set (found in review).
    func testABinaryEditedToTheSameSizeAndTimeIsAnotherBuild() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let bin = TemporaryDirectory("edited-build"), copy = bin.path + "/recon"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: ReconProcess.executable)))
        let text = Array("Apply complete!".utf8)
        let at = try XCTUnwrap((0...(bytes.count - text.count)).first { bytes[$0] == text[0] && Array(bytes[$0..<$0 + text.count]) == text })
        bytes[at + 7] = UInt8(ascii: "C")
        try Data(bytes).write(to: URL(fileURLWithPath: copy))
        XCTAssertEqual(chmod(copy, 0o755), 0)
        XCTAssertEqual(try ReconProcess.shell(["touch", "-r", ReconProcess.executable, copy]).status, 0)
        let apply = try ReconProcess.shell([copy, "apply", "plan.json", "--timings"], in: project.path)
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertTrue(stages(apply.stderr).contains("preflight.rederive"), apply.stderr)
    }
}
