import Foundation
import TestSupport
import XCTest

/// A saved plan's create must never land on a record made by hand under its key after planning.
final class SavedPlanCreateTests: XCTestCase {
    /// The reproduced defect: the create overwrote the hand-made record (protected Status included) and its
    /// rollback deleted it. Now apply refuses the plan as stale, naming the key, and writes nothing.
    func testApplyRefusesASavedCreateWhoseKeyWasMadeByHandAfterPlanning() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        project.skill("alpha", "two")
        project.repo.commit("two")
        let plan = try project.recon("plan", "-out", "plan.json")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let key = try XCTUnwrap(project.sql("SELECT Key FROM Skills").first).replacingOccurrences(of: "/one", with: "/two")
        XCTAssertTrue(plan.stdout.contains(key), plan.stdout)
        _ = project.sql("INSERT INTO Skills(_recon_id, Key, Name, Status) VALUES ('recHANDMADE000001', '\(key)', 'Hand made', 'Published')")
        let stateBefore = project.directory.read("state/recon.state.json")

        let applied = try project.recon("apply", "plan.json", "--auto-approve")
        XCTAssertNotEqual(applied.status, 0, applied.stdout)
        XCTAssertTrue(applied.stderr.contains("stale"), applied.stderr)
        XCTAssertTrue(applied.stderr.contains("Skills \(key)"), applied.stderr)
        XCTAssertTrue(applied.stderr.contains("recHANDMADE000001"), applied.stderr)
        XCTAssertEqual(project.sql("SELECT Name || '|' || Status FROM Skills WHERE _recon_id = 'recHANDMADE000001'"), ["Hand made|Published"])
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills"), ["2"])
        XCTAssertEqual(project.directory.read("state/recon.state.json"), stateBefore, "nothing written")

        // A fresh plan sees the record and adopts it, as the refusal says to do.
        let fresh = try project.recon("plan", "-out", "fresh.json")
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertFalse(fresh.stdout.contains("+ \(key)"), fresh.stdout)
    }
}
