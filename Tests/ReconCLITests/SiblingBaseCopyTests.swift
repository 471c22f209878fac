import Foundation
import TestSupport
import XCTest

/// A SQLite base replaced by a sibling copy (one that diverged from the same copy by as many of Recon's writes)
/// must not pass for the sealed one: their change marks differ (issue 12 review).
final class SiblingBaseCopyTests: XCTestCase {
    func testABaseReplacedByASiblingCopyIsPlannedAndDrifts() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        let start = project.repo.commit("two skills")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        let files = FileManager.default
        let state = project.path + "/state"
        try files.copyItem(atPath: state, toPath: project.path + "/staging-state")

        // prod: one change of Recon's, then a plan and a drift that both seal.
        project.skill("alpha", "one", title: "PROD")
        let prod = project.repo.commit("prod")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        XCTAssertTrue(try project.recon("plan").stdout.contains("No changes"))
        XCTAssertEqual(try project.recon("drift").status, 0)
        XCTAssertTrue(try project.recon("plan", "--timings").stderr.contains(" seal "), "prod is sealed")

        // staging: the copy, with one other change of Recon's.
        try files.moveItem(atPath: state, toPath: project.path + "/prod-state")
        try files.moveItem(atPath: project.path + "/staging-state", toPath: state)
        _ = project.repo.git("reset", "-q", "--hard", start)
        project.skill("alpha", "one", title: "STAGING")
        _ = project.repo.commit("staging")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        try files.copyItem(atPath: state + "/catalog.sqlite", toPath: project.path + "/staging.sqlite")

        // prod again, its base file replaced by staging's.
        try files.removeItem(atPath: state)
        try files.moveItem(atPath: project.path + "/prod-state", toPath: state)
        _ = project.repo.git("reset", "-q", "--hard", prod)
        try files.removeItem(atPath: state + "/catalog.sqlite")
        try files.moveItem(atPath: project.path + "/staging.sqlite", toPath: state + "/catalog.sqlite")
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key LIKE '%/one'"), ["STAGING"])

        let plan = try project.recon("plan", "--timings")
        XCTAssertFalse(plan.stderr.contains(" seal "), plan.stderr)
        XCTAssertTrue(plan.stdout.contains("1 to change"), plan.stdout)
        let drift = try project.recon("drift")
        XCTAssertEqual(drift.status, 2, drift.stdout)
        XCTAssertEqual(drift.stdout, try project.recon("drift", "--full").stdout)
    }
}
