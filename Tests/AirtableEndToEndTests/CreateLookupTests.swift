import Foundation
import ReconCore
import TestSupport
import XCTest

/// `recon apply` announces each table's create keys, so the look-ups that keep a before-image for a record made
/// under one of them cost one request per ten batches, not one per batch.
final class CreateLookupTests: XCTestCase {
    func testAnApplyOf120CreatesLooksKeysUpOncePerTenBatches() throws {
        let p = try AirtableProject(emulatorRate: 100, clientRate: 80)
        p.addSkill("alpha", "first")
        for index in 0..<119 { p.addSkill("alpha", "s\(index)") }
        _ = p.repo.commit("120 skills")
        let plan = try p.recon(["plan", "-out", "plan.json"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        p.emulator.resetLog()
        let applied = try p.apply("plan.json")
        XCTAssertEqual(applied.runStatus, "succeeded", applied.output)
        XCTAssertEqual(p.keys("Skills").count, 120)
        let lookUps = p.emulator.requests.filter { $0.method == "GET" && ($0.formula?.hasPrefix("OR({Key}=") ?? false) }
        XCTAssertGreaterThanOrEqual(p.emulator.requests.filter { $0.method == "PATCH" }.count, 13)
        // The tables are new, so preflight has none to look in; upserts: Plugins 1, Skills 2 (100 keys at a time).
        XCTAssertEqual(lookUps.count, 1 + 2, "was one per batch: 1 + 12")
    }
}
