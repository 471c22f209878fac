import Foundation
import ReconCore
import TestSupport
import XCTest

/// A saved plan's run keeps the very file that was reviewed and verified, not a re-encoding of it.
final class SavedPlanBackupTests: XCTestCase {
    /// The plan file reformatted (compact, keys in another layout) stays valid: its digest covers the body's
    /// canonical form. The run folder and the ledger keep those bytes and that digest, and rollback reads them.
    func testTheRunKeepsTheReviewedFileBytesAndItsDigest() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let pretty = try XCTUnwrap(project.directory.read("plan.json"))
        let document = try JSONParser.parse(Array(pretty.utf8))
        let reviewed = document.canonicalString() + "\n"
        XCTAssertNotEqual(reviewed, pretty)
        project.directory.write("plan.json", reviewed)
        let earlier = Set(project.directory.list("state/runs"))

        let applied = try project.recon("apply", "plan.json", "--auto-approve")
        XCTAssertEqual(applied.status, 0, applied.stderr)
        let run = try XCTUnwrap(project.directory.list("state/runs").filter { !$0.hasPrefix(".") && !earlier.contains($0) }.first, "the run's folder")
        XCTAssertEqual(project.directory.read("state/runs/\(run)/plan.json"), reviewed)
        let ledger = try JSONParser.parse(Array(try XCTUnwrap(project.directory.read("state/runs/\(run)/ledger.json")).utf8))
        XCTAssertEqual(ledger["plan_digest"]?.stringValue, document["digest"]?.stringValue)

        let rollback = try project.recon("rollback", run, "-out", "undo.json")
        XCTAssertEqual(rollback.status, 0, rollback.stderr)
    }
}
