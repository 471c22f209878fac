import Foundation
import TestSupport
import XCTest

/// A kill after a batch's outcomes are on record but before its state journal line (the window behind a
/// rare `KillTests` failure: records left in the base that no state manages). The next plan must still claim
/// those records, so removing their sources deletes them instead of leaving orphans.
final class KilledBeforeJournalTests: XCTestCase {
    func testRecordsWhoseOutcomesLandedButNotTheirStateAreClaimedAndDeleted() throws {
        let project = CLIProject(protected: false)
        for index in 0..<8 { project.skill("p0", "s\(index)") }
        project.repo.commit("eight skills")
        // Batch 1 is the Plugins create, batches 2 and 3 the Skills: kill after batch 3's outcomes.
        let killed = try ReconProcess.run(["apply", "--auto-approve", "--batch-size", "4"], in: project.path,
                                          environment: ["RECON_TEST_KILL_BEFORE_JOURNAL": "3"])
        XCTAssertNotEqual(killed.status, 0, "the apply was killed: \(killed.stdout)")
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["8"], "the killed batch reached the base")

        for index in 0..<8 { project.repo.remove("plugins/p0/skills/s\(index)") }
        project.skill("p0", "kept")
        project.repo.commit("all but one removed")
        let apply = try project.recon("apply", "--auto-approve", "--allow", "RC101")
        XCTAssertEqual(apply.status, 0, apply.stderr + apply.stdout)
        XCTAssertEqual(project.sql("SELECT Key FROM Skills ORDER BY Key"), ["core:plugins/p0/skills/kept"],
                       "no record of the killed run is left behind: \(apply.stdout)")
    }
}
