import Foundation
import ReconCore
import TestSupport
import XCTest

/// Issue 10: `--exclude TABLE[/KEY]` beside `--target`, kept in the plan file's scope and shown in every view.
final class ExcludeTests: XCTestCase {
    private let one = "core:plugins/alpha/skills/one"
    private let two = "core:plugins/alpha/skills/two"

    private func project() throws -> CLIProject {
        let project = CLIProject()
        project.skill("alpha", "zero")
        project.repo.commit("zero")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("two more")
        return project
    }

    func testAnExcludedRecordIsLeftOutAndTheScopeIsKeptAndShown() throws {
        let project = try project()
        let text = try project.recon("plan", "--exclude", "Skills/\(two)", "-out", "plan.json")
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains(one), text.stdout)
        XCTAssertFalse(text.stdout.contains("+ \(two)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Targeted plan: excluding Skills/\(two); other changes are not shown."), text.stdout)
        let markdown = try project.recon("plan", "--exclude", "Skills/\(two)", "--format", "markdown")
        XCTAssertTrue(markdown.stdout.contains("excluding Skills/\(two)"), markdown.stdout)
        let json = try JSONParser.parse(Array(try project.recon("plan", "--exclude", "Skills/\(two)", "--format", "json").stdout.utf8))
        XCTAssertEqual(json["plan"]?["scope"]?["excludes"]?.arrayValue, [.string("Skills/\(two)")])
        let saved = try JSONParser.parse(Array(try XCTUnwrap(project.directory.read("plan.json")).utf8))
        XCTAssertEqual(saved["plan"]?["scope"]?["excludes"]?.arrayValue, [.string("Skills/\(two)")])
        XCTAssertTrue(try project.recon("show", "plan.json").stdout.contains("excluding Skills/\(two)"))

        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(project.sql("SELECT Key FROM Skills ORDER BY Key"), ["core:plugins/alpha/skills/one", "core:plugins/alpha/skills/zero"])
    }

    func testExcludeWinsOverTargetOnPlanAndApply() throws {
        let project = try project()
        let plan = try project.recon("plan", "--target", "Skills", "--exclude", "Skills/\(two)")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("Targeted plan: Skills only, excluding Skills/\(two); other changes are not shown."), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("1 to add"), plan.stdout)
        let apply = try project.recon("apply", "--auto-approve", "--target", "Skills/\(two)", "--target", "Skills/\(one)", "--exclude", "Skills/\(two)")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(project.sql("SELECT Key FROM Skills ORDER BY Key"), ["core:plugins/alpha/skills/one", "core:plugins/alpha/skills/zero"])
        let whole = try project.recon("plan", "--exclude", "Skills")
        XCTAssertTrue(whole.stdout.contains("No changes") || whole.stdout.contains("0 to add"), whole.stdout)
    }

    func testAnExcludeThatMatchesNothingIsAnError() throws {
        let project = try project()
        let missing = try project.recon("plan", "--exclude", "Skills/core:plugins/alpha/skills/onw")
        XCTAssertEqual(missing.status, 1, missing.stdout)
        XCTAssertTrue(missing.stderr.contains("--exclude Skills/core:plugins/alpha/skills/onw matches no record"), missing.stderr)
        XCTAssertTrue(missing.stderr.contains("did you mean '\(one)'?"), missing.stderr)
        let table = try project.recon("plan", "--exclude", "Nope")
        XCTAssertEqual(table.status, 1, table.stdout)
        XCTAssertTrue(table.stderr.contains("--exclude names undeclared table 'Nope'"), table.stderr)
        let apply = try project.recon("apply", "--auto-approve", "--exclude", "Skills/nothing")
        XCTAssertEqual(apply.status, 1, apply.stdout)
        XCTAssertTrue(apply.stderr.contains("--exclude Skills/nothing matches no record"), apply.stderr)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["1"], "nothing was written")
        let saved = try project.recon("plan", "-out", "plan.json")
        XCTAssertEqual(saved.status, 0, saved.stderr)
        let withFile = try project.recon("apply", "plan.json", "--exclude", "Skills/\(two)")
        XCTAssertEqual(withFile.status, 1, withFile.stdout)
        XCTAssertTrue(withFile.stderr.contains("--exclude"), withFile.stderr)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["1"], "nothing was written")
    }

    /// The exclusions are covered by the digest; with the digest made again, apply re-derives within them.
    func testAnEditedExclusionIsCaughtAtApply() throws {
        let project = try project()
        XCTAssertEqual(try project.recon("plan", "--exclude", "Skills/\(two)", "-out", "plan.json").status, 0)
        let document = try XCTUnwrap(project.directory.read("plan.json"))
        project.directory.write("plan.json", document.replacingOccurrences(of: "\"Skills/\(two)\"", with: "\"Skills/\(one)\""))
        let edited = try project.recon("apply", "plan.json")
        XCTAssertEqual(edited.status, 1, edited.stdout)
        XCTAssertTrue(edited.stderr.contains("digest does not match"), edited.stderr)
        try SavedPlanFixture.tamper(project) { body in
            body["scope"] = .object(["excludes": .array([.string("Skills/\(one)")]), "repos": .array([]), "targets": .array([])])
        }
        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 1, apply.stdout)
        XCTAssertTrue(apply.stderr.contains("Skills \(one): the plan would create it, but the planner would not change it now"), apply.stderr)
        try SavedPlanFixture.tamper(project) { body in
            body["scope"] = .object(["excludes": .string("Skills"), "repos": .array([]), "targets": .array([])])
        }
        let mistyped = try project.recon("apply", "plan.json")
        XCTAssertEqual(mistyped.status, 1, mistyped.stdout)
        XCTAssertTrue(mistyped.stderr.contains("'excludes' must be a list of text"), mistyped.stderr)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["1"], "nothing was written")
    }
}
