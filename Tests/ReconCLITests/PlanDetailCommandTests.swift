import TestSupport
import XCTest

/// A plan of hundreds of changes prints as a summary per table at the CLI; `--detail full` prints every change.
final class PlanDetailCommandTests: XCTestCase {
    func testALargePlanIsConciseUnlessDetailFullIsAsked() throws {
        let project = CLIProject()
        for n in 0..<600 { project.skill("alpha", "s\(n)") }
        project.repo.commit("600 skills")

        let plan = try project.recon("plan", "-out", "plan.json")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertEqual(plan.stdout.components(separatedBy: "\n  + ").count - 1, 23, plan.stdout)  // two tables, the plugin and 20 skills
        XCTAssertTrue(plan.stdout.contains("  … and 580 more creates in Skills (use --detail full to list every change)\n"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("Plan: 2 schema changes, 601 to add, 0 to change, 0 to delete"), plan.stdout)

        let shown = try project.recon("show", "plan.json")
        XCTAssertEqual(shown.stdout, plan.stdout.components(separatedBy: "\nSaved the plan").first!, shown.stderr)
        let full = try project.recon("show", "plan.json", "--detail", "full")
        XCTAssertEqual(full.status, 0, full.stderr)
        XCTAssertEqual(full.stdout.components(separatedBy: "\n  + ").count - 1, 603)
        XCTAssertFalse(full.stdout.contains("more creates"))
        let json = try project.recon("show", "plan.json", "--format", "json")
        XCTAssertEqual(json.stdout.components(separatedBy: "\"action\": \"create\"").count - 1, 601)
    }

    func testAnUnknownDetailIsRefused() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let result = try project.recon("plan", "--detail", "fulll")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("invalid --detail 'fulll'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("full"), result.stderr)
    }
}
