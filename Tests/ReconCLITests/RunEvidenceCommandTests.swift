import Apply
import Foundation
import Plan
import ReconCore
import TestSupport
import XCTest

/// `recon runs show`, `runs export` and `runs verify` on runs made by real applies of the binary.
final class RunEvidenceCommandTests: XCTestCase {
    /// A project with three skills applied once; returns it and the run id.
    private func appliedProject() throws -> (CLIProject, String) {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.skill("beta", "three")
        project.repo.commit("skills")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let runs = try JSONParser.parse(try project.recon("runs", "--format", "json").stdout)
        let id = try XCTUnwrap(runs["runs"]?.arrayValue?.first?["id"]?.stringValue)
        return (project, id)
    }

    private func export(_ project: CLIProject, _ id: String) throws -> String {
        let result = try project.recon("runs", "export", id)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    func testShowListsPhasesCountersAndEveryOutcome() throws {
        let (project, id) = try appliedProject()
        let text = try project.recon("runs", "show", id)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("Run \(id): apply, succeeded\n"), text.stdout)
        XCTAssertTrue(text.stdout.contains("\nPhases:\n  "), text.stdout)
        XCTAssertTrue(text.stdout.contains("Counters: 5 created, 0 updated"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Outcomes (5):\n  ok"), text.stdout)
        XCTAssertTrue(text.stdout.contains("core:plugins/beta/skills/three"), text.stdout)

        let bounded = try project.recon("runs", "show", id, "--limit", "2")
        XCTAssertTrue(bounded.stdout.contains("… 3 more; 'recon runs show \(id) --format json' lists them all"), bounded.stdout)

        let json = try JSONParser.parse(try project.recon("runs", "show", id, "--format", "json").stdout)
        XCTAssertEqual(json["format_version"], 1)
        XCTAssertEqual(json["outcomes"]?.arrayValue?.count, 5)
        XCTAssertEqual(json["run"]?["status"], "succeeded")
        XCTAssertEqual(json["counters"]?["created"], 5)
        XCTAssertEqual(json["has_plan"], true)
        XCTAssertFalse(json["phases"]?.arrayValue?.isEmpty ?? true)
    }

    /// `show` reads the plan for its findings only (issue 12), but as strictly as before: an edited plan or an outcome
    /// line that is not JSON is an error naming the file, never a listing of what was not applied.
    func testShowRefusesAnEditedPlanAndADamagedOutcomeLine() throws {
        let (project, id) = try appliedProject()
        let plan = "state/runs/\(id)/plan.json"
        let original = try XCTUnwrap(project.directory.data(plan))
        let edited = String(decoding: original, as: UTF8.self).replacingOccurrences(of: "three", with: "thrEE")
        XCTAssertNotEqual(Data(edited.utf8), original)
        project.directory.write(plan, edited)
        let tampered = try project.recon("runs", "show", id)
        XCTAssertEqual(tampered.status, 1, tampered.stdout)
        XCTAssertTrue(tampered.stderr.contains("plan.json"), tampered.stderr)
        XCTAssertTrue(tampered.stderr.contains("was modified after it was made"), tampered.stderr)

        project.directory.write(plan, String(decoding: original, as: UTF8.self))
        XCTAssertEqual(try project.recon("runs", "show", id).status, 0)
        let outcomes = "state/runs/\(id)/outcomes.jsonl"
        let lines = String(decoding: try XCTUnwrap(project.directory.data(outcomes)), as: UTF8.self)
        project.directory.write(outcomes, lines.replacingOccurrences(of: "\n", with: "\n{not json\n", options: [], range: lines.range(of: "\n")))
        let damaged = try project.recon("runs", "show", id)
        XCTAssertEqual(damaged.status, 1, damaged.stdout)
        XCTAssertTrue(damaged.stderr.contains("outcomes.jsonl:2: not JSON"), damaged.stderr)
    }

    func testShowOfAnUnknownRunIsAnError() throws {
        let (project, id) = try appliedProject()
        let other = String(id.dropLast()) + (id.hasSuffix("0") ? "1" : "0")
        let result = try project.recon("runs", "show", other)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("no run '\(other)'"), result.stderr)
        XCTAssertTrue(result.stderr.contains(id), "suggests the run there is: \(result.stderr)")
        let traversal = try project.recon("runs", "show", "../../etc")
        XCTAssertEqual(traversal.status, 1)
        XCTAssertTrue(traversal.stderr.contains("is not a run id"), traversal.stderr)
        let filtered = try project.recon("runs", "show", id, "--base", "appX")
        XCTAssertEqual(filtered.status, 1)
        XCTAssertTrue(filtered.stderr.contains("--base filters the listing"), filtered.stderr)
        let verb = try project.recon("runs", "shwo", id)
        XCTAssertEqual(verb.status, 1)
        XCTAssertTrue(verb.stderr.contains("'runs' has no verb 'shwo'"), verb.stderr)
        XCTAssertTrue(verb.stderr.contains("show"), verb.stderr)
    }

    func testExportIsOneCanonicalDocumentThatVerifies() throws {
        let (project, id) = try appliedProject()
        let bundle = try export(project, id)
        let document = try JSONParser.parse(bundle)
        XCTAssertEqual(bundle, document.canonicalString(pretty: true) + "\n", "sorted keys, canonical form")
        XCTAssertEqual(document["format_version"], 1)
        XCTAssertEqual(document["run_id"]?.stringValue, id)
        XCTAssertEqual(document["outcomes"]?.arrayValue?.filter { $0["status"] != nil }.count, 5)
        XCTAssertNotNil(document["plan"]?["plan"], "the reviewed plan")
        XCTAssertNotNil(document["before_images"]?["records"], "the before-images")
        XCTAssertEqual(document["ledger"]?["id"]?.stringValue, id)
        XCTAssertEqual(try export(project, id), bundle, "the same run gives the same bytes")

        project.directory.write("bundle.json", bundle)
        let verify = try project.recon("runs", "verify", "bundle.json")
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertTrue(verify.stdout.contains("intact"), verify.stdout)
        XCTAssertTrue(verify.stdout.contains("every part matches the run on disk"), verify.stdout)

        // Elsewhere, with no such run, only the digest can be checked.
        let elsewhere = TemporaryDirectory()
        elsewhere.write("bundle.json", bundle)
        let away = try ReconProcess.run(["runs", "verify", "bundle.json"], in: elsewhere.path)
        XCTAssertEqual(away.status, 0, away.stderr)
        XCTAssertTrue(away.stdout.contains("only the digest was checked"), away.stdout)
    }

    func testVerifyNamesAValueChangedInTheBundle() throws {
        let (project, id) = try appliedProject()
        let bundle = try export(project, id)
        let tampered = bundle.replacingOccurrences(of: #""created": 5"#, with: #""created": 4"#)
        XCTAssertNotEqual(tampered, bundle)
        project.directory.write("bundle.json", tampered)
        let result = try project.recon("runs", "verify", "bundle.json")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("digest mismatch"), result.stderr)
        XCTAssertTrue(result.stderr.contains("ledger differs from the run on disk"), result.stderr)
        XCTAssertTrue(result.stderr.contains("at ledger.counters.created: bundle 4, on disk 5"), result.stderr)
    }

    func testVerifyCatchesAnEditWhoseDigestWasRecomputed() throws {
        let (project, id) = try appliedProject()
        var members = try XCTUnwrap(try JSONParser.parse(try export(project, id)).objectValue)
        var outcomes = try XCTUnwrap(members["outcomes"]?.arrayValue)
        let index = try XCTUnwrap(outcomes.firstIndex { $0["record_id"] != nil })
        var outcome = try XCTUnwrap(outcomes[index].objectValue)
        outcome["record_id"] = "forged"
        outcomes[index] = .object(outcome)
        members["outcomes"] = .array(outcomes)
        members["digest"] = .string(EvidenceBundle.digest(of: members))
        project.directory.write("bundle.json", JSONValue.object(members).canonicalString(pretty: true))

        let result = try project.recon("runs", "verify", "bundle.json")
        XCTAssertEqual(result.status, 1)
        XCTAssertFalse(result.stderr.contains("digest mismatch"), result.stderr)
        XCTAssertTrue(result.stderr.contains("outcomes differs from the run on disk"), result.stderr)
        XCTAssertTrue(result.stderr.contains("at outcomes[\(index)].record_id: bundle \"forged\""), result.stderr)
    }

    func testAFlippedByteIsCaught() throws {
        let (project, id) = try appliedProject()
        var bytes = Array(try export(project, id).utf8)
        // A byte inside the first hex digest of the plan: still JSON, still a bundle, no longer the same.
        let marker = Array(#""plan_digest": "sha256:"#.utf8)
        let start = try XCTUnwrap((0...(bytes.count - marker.count)).first { Array(bytes[$0..<$0 + marker.count]) == marker })
        let position = start + marker.count
        bytes[position] = bytes[position] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        project.directory.write("bundle.json", bytes)
        let result = try project.recon("runs", "verify", "bundle.json")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("digest mismatch"), result.stderr)
        XCTAssertTrue(result.stderr.contains("at ledger.plan_digest"), result.stderr)
    }

    func testHostileBundlesAreRefusedNamingTheKey() throws {
        let (project, id) = try appliedProject()
        var members = try XCTUnwrap(try JSONParser.parse(try export(project, id)).objectValue)

        func verify(_ text: String) throws -> ReconProcess.Result {
            project.directory.write("bundle.json", text)
            return try project.recon("runs", "verify", "bundle.json")
        }
        var extra = members
        extra["extra"] = "x"
        var result = try verify(JSONValue.object(extra).canonicalString())
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("bundle.json: unknown key 'extra'"), result.stderr)

        members["format_version"] = 2
        result = try verify(JSONValue.object(members).canonicalString())
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("'format_version' 2"), result.stderr)
        members["format_version"] = 1

        var badOutcome = members
        badOutcome["outcomes"] = [["table": "Skills"]]
        result = try verify(JSONValue.object(badOutcome).canonicalString())
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("'outcomes[0]' is not an outcome"), result.stderr)

        var badLedger = members
        badLedger["ledger"] = ["id": "x"]
        result = try verify(JSONValue.object(badLedger).canonicalString())
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("'ledger'"), result.stderr)

        result = try verify("{\"digest\": ")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("not an evidence bundle"), result.stderr)

        // Refused by its size before a byte is read: a sparse file of 300 MiB.
        let huge = project.path + "/huge.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: huge, contents: nil))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: huge))
        try handle.truncate(atOffset: 300 << 20)
        try handle.close()
        result = try project.recon("runs", "verify", "huge.json")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("more than an evidence bundle may hold"), result.stderr)
    }

    /// The text of `runs show` for a run written with fixed times: phases, a failure, more outcomes than shown,
    /// hook output, findings and warnings.
    func testShowTextGolden() throws {
        let temp = TemporaryDirectory()
        let t0 = try XCTUnwrap(UTCTimestamp.parse("2026-11-20T10:00:00.000Z"))
        let ledger = try RunLedger.start(runsDirectory: temp.path + "/state/runs", operation: .apply, planDigest: "sha256:abc",
                                         target: "sqlite:state/catalog.sqlite", leaseID: "l1", at: t0)
        var plan = Plan(target: "sqlite:state/catalog.sqlite", manifestDigest: "m", lineage: "lin", serial: 1)
        plan.findings = [CheckFinding(code: .RC103, level: .warning, table: "Skills", count: 1,
                                      message: "RC103: 1 drift restore in Skills overwrites a value changed in the base")]
        temp.write("state/runs/\(ledger.id)/plan.json", PlanFile.encode(plan))
        try ledger.beginPhase("backup", at: t0)
        try ledger.beginPhase("creates", at: t0.addingTimeInterval(0.25))
        let outcomes = (1...22).map { EntityOutcome(table: "Skills", key: "core:skills/s\($0)/SKILL.md", action: .create,
                                                    recordID: "rec\($0)", status: .ok) }
            + [EntityOutcome(table: "Skills", key: "core:skills/bad/SKILL.md", action: .update, recordID: "rec99", status: .failed,
                             error: "the base refused the value")]
        try ledger.record(outcomes)
        try ledger.batchCompleted(at: t0.addingTimeInterval(2))
        ledger.warn("1 record failed; plan again to retry it")
        try ledger.finish(.failed, error: "1 of 23 records failed", at: t0.addingTimeInterval(2.5))
        // A hook entry as apply records it (HookResult.json).
        let ledgerPath = temp.path + "/state/runs/\(ledger.id)/ledger.json"
        var members = try XCTUnwrap(try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: ledgerPath)))).objectValue)
        members["hooks"] = [["point": "post_apply", "argv": ["./scripts/notify.sh", "--channel", "catalog"], "status": "succeeded", "exit_code": 0,
                             "duration_seconds": 0.25, "output": "sent 1 message\ndone\n", "output_dropped_bytes": 0]]
        temp.write("state/runs/\(ledger.id)/ledger.json", JSONValue.object(members).canonicalString(pretty: true))

        let result = try ReconProcess.run(["runs", "show", ledger.id], in: temp.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        Golden.assertMatches(result.stdout.replacingOccurrences(of: ledger.id, with: "RUN"),
                             file: Golden.folder() + "/Golden/runs-show.txt")
    }
}
