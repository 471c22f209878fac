import Foundation
import ReconCore
import TestSupport
import XCTest

/// Issue 13, "honest summaries": what the summary line, the PR heading and the JSON say is what the plan does.
final class HonestSummaryTests: XCTestCase {
    private let one = "core:plugins/alpha/skills/one"

    /// A regression: a plan that only creates a field said `Plan: 0 to add, 0 to change, …` while
    /// `-detailed-exitcode` exited 2.
    func testASchemaOnlyPlanCountsItsSchemaChangesEverywhere() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        let schema = try XCTUnwrap(project.directory.read("manifests/schema.yaml"))
        project.directory.write("manifests/schema.yaml", schema.replacingOccurrences(
            of: "      - {name: Status, type: singleSelect, choices: [Draft, Published]}",
            with: "      - {name: Status, type: singleSelect, choices: [Draft, Published]}\n      - {name: Notes, type: multilineText}"))

        let text = try project.recon("plan", "-detailed-exitcode")
        XCTAssertEqual(text.status, 2, text.stderr)
        XCTAssertTrue(text.stdout.contains("Plan: 1 schema change, 0 to add, 0 to change, 0 to delete"), text.stdout)
        let markdown = try project.recon("plan", "--format", "markdown")
        XCTAssertTrue(markdown.stdout.contains("-->\n### Recon plan: 1 schema change, 0 to add"), markdown.stdout)
        let json = try JSONParser.parse(Array(try project.recon("plan", "--format", "json").stdout.utf8))
        XCTAssertEqual(json["plan"]?["summary"]?["schema"]?.intValue, 1)
    }

    /// A regression: an adoption counted as no change in the plan and as "changed" in the apply.
    func testPlanAndApplyCountAdoptionsAlike() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        // The state forgets the record; the base still holds it as the manifests want it: adopt it.
        try project.forgetStateRecords()

        let plan = try project.recon("plan")
        XCTAssertTrue(plan.stdout.contains("Plan: 0 to add, 0 to change, 0 to delete, 2 adopted,"), plan.stdout)
        let json = try JSONParser.parse(Array(try project.recon("plan", "--format", "json").stdout.utf8))
        XCTAssertEqual(json["plan"]?["summary"]?["adopt"]?.intValue, 2)
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertTrue(apply.stdout.contains("Apply complete! 0 added, 0 changed, 0 deleted, 2 adopted."), apply.stdout)
        let runs = try JSONParser.parse(Array(try project.recon("runs", "--format", "json").stdout.utf8))
        XCTAssertEqual(runs["runs"]?.arrayValue?.first?["counters"]?["adopted"]?.intValue, 2)
        XCTAssertEqual(runs["runs"]?.arrayValue?.first?["counters"]?["updated"]?.intValue, 0)
    }

    /// A regression: a targeted plan looked like a whole one and its file did not keep the scope.
    func testATargetedPlanSaysSoAndKeepsItsScope() throws {
        let project = CLIProject()
        project.skill("alpha", "zero")
        project.repo.commit("zero")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("two more")
        let text = try project.recon("plan", "--target", "Skills/\(one)", "-out", "plan.json")
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Targeted plan: Skills/\(one) only; other changes are not shown."), text.stdout)
        let markdown = try project.recon("plan", "--target", "Skills/\(one)", "--format", "markdown")
        XCTAssertTrue(markdown.stdout.contains("Targeted plan: Skills/\(one) only"), markdown.stdout)
        let saved = try JSONParser.parse(Array(try XCTUnwrap(project.directory.read("plan.json")).utf8))
        XCTAssertEqual(saved["plan"]?["scope"]?["targets"]?.arrayValue, [.string("Skills/\(one)")])
        let show = try project.recon("show", "plan.json")
        XCTAssertTrue(show.stdout.contains("Targeted plan: Skills/\(one) only"), show.stdout)

        // The scope is part of what the digest covers; with the digest made again, apply re-derives
        // under the stored scope, so a change outside it is refused.
        try SavedPlanFixture.tamper(project) { body in
            var scope = body["scope"]?.objectValue ?? [:]
            scope["targets"] = .array([.string("Skills/core:plugins/alpha/skills/two")])
            body["scope"] = .object(scope)
        }
        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 1, apply.stdout)
        XCTAssertTrue(apply.stderr.contains("Skills \(one): the plan would create it, but the planner would not change it now"), apply.stderr)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["1"], "nothing was written")
    }

    /// A scope that is not a list of names is refused, as any mistyped member of a plan file.
    func testAMistypedScopeIsRefused() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        try SavedPlanFixture.tamper(project) { body in body["scope"] = .object(["targets": .string("Skills")]) }
        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 1, apply.stdout)
        XCTAssertTrue(apply.stderr.contains("the plan file is damaged: 'targets' must be a list of text"), apply.stderr)
    }

    func testATargetedSavedPlanAppliesWithinItsScope() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("two")
        XCTAssertEqual(try project.recon("plan", "--target", "Skills/\(one)", "--target", "Plugins", "-out", "plan.json").status, 0)
        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertTrue(apply.stdout.contains("Targeted plan: Plugins, Skills/\(one) only"), apply.stdout)
        XCTAssertEqual(project.sql("SELECT Key FROM Skills"), [one])
    }

    /// A regression: `--target Skills/no-such-key` printed "No changes".
    func testATargetThatMatchesNothingIsAnError() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let missing = try project.recon("plan", "--target", "Skills/core:plugins/alpha/skills/onw")
        XCTAssertEqual(missing.status, 1, missing.stdout)
        XCTAssertTrue(missing.stderr.contains("--target Skills/core:plugins/alpha/skills/onw matches no record"), missing.stderr)
        XCTAssertTrue(missing.stderr.contains("did you mean '\(one)'?"), missing.stderr)
        XCTAssertFalse(missing.stdout.contains("No changes"), missing.stdout)
        let apply = try project.recon("apply", "--auto-approve", "--target", "Skills/nothing")
        XCTAssertEqual(apply.status, 1, apply.stdout)
        XCTAssertTrue(apply.stderr.contains("--target Skills/nothing matches no record"), apply.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/state/catalog.sqlite"), "nothing was written")
        // A key only the base or the state holds still matches: it is planned (as a delete).
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        project.repo.remove("plugins/alpha/skills/one/SKILL.md")
        project.repo.commit("drop one")
        let gone = try project.recon("plan", "--target", "Skills/\(one)")
        XCTAssertEqual(gone.status, 0, gone.stderr)
        XCTAssertTrue(gone.stdout.contains("0 to add, 0 to change, 1 to delete"), gone.stdout)
    }

    /// A regression: a SQLite file gone while the state holds records applied to it was planned as recreating them all.
    func testAMissingSQLiteBaseWithAppliedRecordsIsAnError() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        try FileManager.default.removeItem(atPath: project.path + "/state/catalog.sqlite")
        for command in [["plan"], ["apply", "--auto-approve"], ["drift"]] {
            let result = try ReconProcess.run(command, in: project.path)
            XCTAssertEqual(result.status, 1, "\(command): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains("the SQLite base 'state/catalog.sqlite' does not exist, but the state holds 2 records applied to it"),
                          "\(command): \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/state/catalog.sqlite"), "\(command): nothing was written")
        }
    }
}
