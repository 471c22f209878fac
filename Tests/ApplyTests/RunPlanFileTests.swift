import Apply
import Foundation
import Plan
import ReconCore
import State
import XCTest

/// The run's copy of its plan (`state/runs/<id>/plan.json`): a plan made in the run is streamed to it, never held
/// encoded, and the file is the one `PlanFile.encode` makes, under the digest the ledger records.
final class RunPlanFileTests: XCTestCase {
    func testAPlanMadeInTheRunIsBackedUpAsItsFileUnderTheLedgersDigest() throws {
        let harness = ApplyHarness()
        for index in 0..<40 { harness.addSkill("alpha", "s\(index)") }
        harness.repo.commit("catalog")
        let plan = try harness.plan().plan
        let run = try harness.applyRecorded(plan)
        let kept = try XCTUnwrap(AtomicFile.read(harness.project.path + "/state/runs/\(run)/plan.json"))
        XCTAssertTrue(kept == PlanFile.encode(plan), "the backup is the plan's file, byte for byte")
        let verified = try PlanFile.verify(kept)
        XCTAssertEqual(verified.plan, plan)
        let ledger = try JSONParser.parse(try XCTUnwrap(AtomicFile.read(harness.project.path + "/state/runs/\(run)/ledger.json")))
        XCTAssertEqual(ledger["plan_digest"]?.stringValue, verified.digest)
        XCTAssertEqual(RunPlanFile(made: plan).digest, verified.digest)
    }
}
