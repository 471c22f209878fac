import Apply
import Foundation
import ReconCore
import TestSupport
import XCTest

/// Every JSON output of the real `recon` binary, made on a real project, conforms to its schema in docs/schemas/.
final class JSONSchemaTests: XCTestCase {
    func testTheOutputsOfAnApplyMatchTheirSchemas() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        // A skill outside any plugin: its link is left empty with a located warning.
        project.repo.write("plugins/orphan/skills/lost/SKILL.md", "---\nname: lost\n---\n")
        project.repo.commit("three skills")

        try OutputSchema.assertValid(try project.recon("validate", "--format", "json"), status: 0, against: "validate.schema.json")
        let extracted = try OutputSchema.assertValid(try project.recon("extract", "--format", "json"), status: 0, against: "extract.schema.json")
        XCTAssertEqual(extracted["records"]?.arrayValue?.count, 4)
        XCTAssertEqual(extracted["diagnostics"]?.arrayValue?.first?["severity"]?.stringValue, "warning", "\(extracted)")

        let printed = try OutputSchema.assertValid(try project.recon("plan", "-out", "plan.json", "--format", "json"), status: 0,
                                                   against: "plan.schema.json")
        let saved = try OutputSchema.assertValid(try XCTUnwrap(project.directory.read("plan.json")), against: "plan.schema.json")
        XCTAssertEqual(printed, saved, "plan --format json prints the plan file")
        try OutputSchema.assertValid(try project.recon("show", "plan.json", "--format", "json"), status: 0, against: "plan.schema.json")
        let targeted = try OutputSchema.assertValid(try project.recon("plan", "--target", "Skills", "--exclude", "Plugins", "--format", "json"),
                                                    status: 0, against: "plan.schema.json")
        XCTAssertNotNil(targeted["plan"]?["scope"], "a targeted plan records its scope")

        let apply = try project.recon("apply", "plan.json", "--json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let events = try OutputSchema.assertValidLines(apply.stdout, against: "apply-event.schema.json")
        XCTAssertEqual(Set(events.compactMap { $0["event"]?.stringValue }), ["start", "phase", "batch", "record", "done"])

        let runs = try OutputSchema.assertValid(try project.recon("runs", "--format", "json"), status: 0, against: "runs.schema.json")
        let runID = try XCTUnwrap(runs["runs"]?.arrayValue?.first?["id"]?.stringValue)
        try OutputSchema.assertValid(try XCTUnwrap(project.directory.read("state/runs/\(runID)/ledger.json")), against: "run-ledger.schema.json")
        try OutputSchema.assertValid(try XCTUnwrap(project.directory.read("state/runs/\(runID)/plan.json")), against: "plan.schema.json")
        let outcomes = try OutputSchema.assertValidLines(try XCTUnwrap(project.directory.read("state/runs/\(runID)/outcomes.jsonl")),
                                                         against: "outcome.schema.json")
        XCTAssertTrue(outcomes.contains { $0["intent"] != nil } && outcomes.contains { $0["status"] != nil }, "intents and outcomes")

        let pulled = try OutputSchema.assertValid(try project.recon("state", "pull"), status: 0, against: "state.schema.json")
        XCTAssertEqual(pulled["records"]?["Skills"]?.objectValue?.count, 3)
        try OutputSchema.assertValid(try XCTUnwrap(project.directory.read("state/recon.state.json")), against: "state.schema.json")
        try OutputSchema.assertValid(try project.recon("state", "show", "core:plugins/alpha/skills/one"), status: 0,
                                     against: "state-record.schema.json")
        try OutputSchema.assertValid(try project.recon("prune", "--dry-run", "--format", "json"), status: 0, against: "prune.schema.json")

        let again = try project.recon("apply", "--auto-approve", "--json")
        XCTAssertEqual(again.status, 0, again.stderr)
        let nothing = try OutputSchema.assertValidLines(again.stdout, against: "apply-event.schema.json")
        XCTAssertEqual(nothing.last?["status"]?.stringValue, "no_changes")

        // A record the run created, edited by hand since: the rollback plan lists it as a conflict.
        _ = project.sql("UPDATE Skills SET Name = 'by hand' WHERE Key = 'core:plugins/alpha/skills/one'")
        let rollback = try OutputSchema.assertValid(try project.recon("rollback", runID, "--format", "json"), status: 0,
                                                    against: "plan.schema.json")
        XCTAssertEqual(rollback["plan"]?["rollback_of"]?.stringValue, runID)
        XCTAssertEqual(rollback["plan"]?["rollback_conflicts"]?.arrayValue?.first?["reason"]?.stringValue, "changed_since")
    }

    /// Hand edits in the base: drift, a plan with a finding and drift fields, its check, and failing applies.
    /// Hook entries in the ledger, `runs` and `hook` events: one that succeeded, one that failed, one that could not start.
    func testHookRecordsAndEventsMatchTheirSchemas() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        project.script("ok.sh", "echo fine")
        project.script("fail.sh", "echo no >&2\nexit 3")
        project.script("gone.sh", "echo unused")
        project.hooks("""
            hooks:
              pre_apply:
                - {run: ["./scripts/ok.sh"]}
              post_apply:
                - {run: ["./scripts/fail.sh"]}
                - {run: ["./scripts/gone.sh"]}
            """)
        XCTAssertEqual(try project.recon("validate").status, 0)
        // Removed after validate: the post_apply hook then cannot start, a warning like a failing one.
        try FileManager.default.removeItem(atPath: project.directory.file("scripts/gone.sh"))
        let apply = try project.recon("apply", "--auto-approve", "--json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let events = try OutputSchema.assertValidLines(apply.stdout, against: "apply-event.schema.json")
        let statuses = events.filter { $0["event"]?.stringValue == "hook" }.compactMap { $0["status"]?.stringValue }
        XCTAssertEqual(statuses, ["succeeded", "failed", "not_started"])
        let runs = try OutputSchema.assertValid(try project.recon("runs", "--format", "json"), status: 0, against: "runs.schema.json")
        let runID = try XCTUnwrap(runs["runs"]?.arrayValue?.first?["id"]?.stringValue)
        XCTAssertEqual(runs["runs"]?.arrayValue?.first?["hooks"]?.arrayValue?.count, 3)
        let ledger = try OutputSchema.assertValid(try XCTUnwrap(project.directory.read("state/runs/\(runID)/ledger.json")),
                                                  against: "run-ledger.schema.json")
        XCTAssertEqual(ledger["hooks"]?.arrayValue?.compactMap { $0["exit_code"]?.intValue }, [0, 3])
    }

    func testDriftFindingsAndFailuresMatchTheirSchemas() throws {
        let project = CLIProject()
        for index in 0..<5 { project.skill("alpha", "s\(index)") }
        project.repo.commit("five skills")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        _ = project.sql("UPDATE Skills SET Name = 'by hand' WHERE Key = 'core:plugins/alpha/skills/s0'")
        _ = project.sql("DELETE FROM Skills WHERE Key = 'core:plugins/alpha/skills/s1'")

        let drift = try OutputSchema.assertValid(try project.recon("drift", "--format", "json"), status: 2, against: "drift.schema.json")
        XCTAssertEqual(Set(drift["records"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []), ["changed", "deleted"])
        // The drift check is in the history: its ledger and its line in `runs`, with its counts.
        let runs = try OutputSchema.assertValid(try project.recon("runs", "--format", "json"), status: 0, against: "runs.schema.json")
        let check = try XCTUnwrap(runs["runs"]?.arrayValue?.first)
        XCTAssertEqual(check["operation"]?.stringValue, "drift")
        XCTAssertEqual(check["drift"]?["tables"]?["Skills"]?["changed"]?.intValue, 1)
        let checkID = try XCTUnwrap(check["id"]?.stringValue)
        try OutputSchema.assertValid(try XCTUnwrap(project.directory.read("state/runs/\(checkID)/ledger.json")), against: "run-ledger.schema.json")

        XCTAssertEqual(try project.recon("plan", "-out", "restore.json").status, 0)
        let restore = try OutputSchema.assertValid(try XCTUnwrap(project.directory.read("restore.json")), against: "plan.schema.json")
        XCTAssertEqual(restore["plan"]?["findings"]?.arrayValue?.first?["code"]?.stringValue, "RC103")
        let warnings = try OutputSchema.assertValid(try project.recon("check", "restore.json", "--format", "json"), status: 2,
                                                    against: "check.schema.json")
        XCTAssertEqual(warnings["warnings"]?.intValue, 1)
        XCTAssertEqual(try project.recon("apply", "restore.json").status, 0)

        // The same plan again is stale: the stream ends with an error event.
        let stale = try project.recon("apply", "restore.json", "--json")
        XCTAssertEqual(stale.status, 1)
        let staleEvents = try OutputSchema.assertValidLines(stale.stdout, against: "apply-event.schema.json")
        XCTAssertEqual(staleEvents.last?["code"]?.stringValue, "stale_plan")

        // Most skills gone from the repo: RC101 is an error, check exits 1 and apply refuses the plan.
        for index in 0..<4 { project.repo.remove("plugins/alpha/skills/s\(index)") }
        project.repo.commit("drop four")
        XCTAssertEqual(try project.recon("plan", "-out", "deletes.json").status, 0)
        let deletes = try OutputSchema.assertValid(try XCTUnwrap(project.directory.read("deletes.json")), against: "plan.schema.json")
        XCTAssertTrue(deletes["plan"]?["findings"]?.arrayValue?.contains { $0["code"]?.stringValue == "RC101" } == true)
        let errors = try OutputSchema.assertValid(try project.recon("check", "deletes.json", "--format", "json"), status: 1,
                                                  against: "check.schema.json")
        XCTAssertEqual(errors["exit_code"]?.intValue, 1)
        let refused = try project.recon("apply", "deletes.json", "--json")
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(try OutputSchema.assertValidLines(refused.stdout, against: "apply-event.schema.json").last?["event"]?.stringValue, "error")
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills"), ["5"], "a refused plan writes nothing")
    }

    func testInvalidManifestsMatchTheirSchemas() throws {
        let project = CLIProject()
        project.directory.write("manifests/policy.yaml", "policy: {drift: restore, colour: red}\n")
        let invalid = try OutputSchema.assertValid(try project.recon("validate", "--format", "json"), status: 1, against: "validate.schema.json")
        XCTAssertEqual(invalid["valid"]?.boolValue, false)
        let located = invalid["diagnostics"]?.arrayValue?.first { $0["line"] != nil }
        XCTAssertEqual(located?["file"]?.stringValue?.hasSuffix("policy.yaml"), true, "\(invalid)")
        let apply = try project.recon("apply", "--auto-approve", "--json")
        XCTAssertEqual(apply.status, 1)
        XCTAssertEqual(try OutputSchema.assertValidLines(apply.stdout, against: "apply-event.schema.json").last?["code"]?.stringValue,
                       "invalid_manifests")
    }

    /// A lock held elsewhere: the stream has a `wait` event, then the error of the lock not freed in time.
    func testALockWaitMatchesTheEventSchema() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        project.directory.write("state/keep", "")
        let lease = try Lease.acquire(path: project.path + "/state/.lock", operation: "apply", ttl: 900, heartbeat: false)
        defer { try? lease.release() }
        let waited = try project.recon("apply", "--auto-approve", "--json", "--lock-timeout", "3s")
        XCTAssertEqual(waited.status, 1, waited.stdout)
        let events = try OutputSchema.assertValidLines(waited.stdout, against: "apply-event.schema.json")
        XCTAssertEqual(events.compactMap { $0["event"]?.stringValue }, ["start", "wait", "error"], waited.stdout)
    }

    /// An error in a source file stops the extraction: `extract --format json` prints its diagnostics document.
    func testAnExtractionErrorMatchesTheExtractSchema() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.write("plugins/alpha/skills/bad/SKILL.md", "---\nname: [unclosed\n---\n")
        project.repo.commit("a bad skill")
        let failed = try OutputSchema.assertValid(try project.recon("extract", "--format", "json"), status: 1, against: "extract.schema.json")
        XCTAssertEqual(failed["valid"]?.boolValue, false)
        XCTAssertEqual(failed["diagnostics"]?.arrayValue?.first?["line"]?.intValue, 3, "\(failed)")
    }

    /// The same outputs from an Airtable base (the emulator over real HTTP), including a skipped write and a refused request.
    func testAnAirtableRunMatchesTheSchemas() throws {
        let emulator = try AirtableEmulator(requestsPerSecond: 50)
        defer { emulator.stop() }
        let base = emulator.addBase()
        let repo = GitFixture("airtable-skills")
        repo.write("skills/one/SKILL.md", "---\nname: one\ntags: [a]\nready: true\n---\n")
        repo.write("skills/two/SKILL.md", "---\nname: two\n---\n")
        repo.commit("two skills")
        let directory = TemporaryDirectory("airtable-schemas")
        directory.write("manifests/schema.yaml", """
            target: {provider: airtable, base: \(base), token_env: SCHEMA_TEST_TOKEN, api_url: "\(emulator.url.absoluteString)", requests_per_second: 40}
            tables:
              - name: Skills
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
                  - {name: Tags, type: multipleSelects, choices: [a, b]}
                  - {name: Ready, type: checkbox}
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Skills, files: ["skills/*/SKILL.md"], as: frontmatter, root: ., fields: {Name: name, Tags: tags, Ready: ready}}
            """)
        let environment = ["SCHEMA_TEST_TOKEN": emulator.token]
        func recon(_ arguments: String...) throws -> ReconProcess.Result {
            try ReconProcess.run(arguments, in: directory.path, environment: environment)
        }
        try OutputSchema.assertValid(try recon("plan", "-out", "plan.json", "--format", "json"), status: 0, against: "plan.schema.json")
        let apply = try recon("apply", "plan.json", "--json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        try OutputSchema.assertValidLines(apply.stdout, against: "apply-event.schema.json")
        try OutputSchema.assertValid(try recon("state", "pull"), status: 0, against: "state.schema.json")
        try OutputSchema.assertValid(try recon("drift", "--format", "json"), status: 0, against: "drift.schema.json")
        try OutputSchema.assertValid(try recon("runs", "--format", "json"), status: 0, against: "runs.schema.json")

        // A choice the base's select field lacks (the API cannot add it): the record is skipped with its reason.
        directory.write("manifests/schema.yaml", try XCTUnwrap(directory.read("manifests/schema.yaml")).replacingOccurrences(of: "[a, b]", with: "[a, b, c]"))
        repo.write("skills/three/SKILL.md", "---\nname: three\ntags: [c]\n---\n")
        repo.commit("three")
        let skipped = try recon("apply", "--auto-approve", "--json")
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        let skippedEvents = try OutputSchema.assertValidLines(skipped.stdout, against: "apply-event.schema.json")
        XCTAssertTrue(skippedEvents.contains { $0["status"]?.stringValue == "skipped" && $0["error"] != nil }, skipped.stdout)

        // The base refuses a request: the stream still conforms and ends with an error event.
        emulator.failNext(50, status: 422)
        let failed = try recon("apply", "--auto-approve", "--json")
        XCTAssertEqual(failed.status, 1, failed.stdout)
        XCTAssertEqual(try OutputSchema.assertValidLines(failed.stdout, against: "apply-event.schema.json").last?["code"]?.stringValue, "failed")
    }
}
