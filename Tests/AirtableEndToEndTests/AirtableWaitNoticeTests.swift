import Foundation
import TestSupport
import XCTest

/// The real `recon` says why it waits on Airtable: a retry's backoff of 2 s or more gets one line.
final class AirtableWaitNoticeTests: XCTestCase {
    func testALongBackoffAfter5xxIsSaidOnStderr() throws {
        let p = try AirtableProject()
        p.addSkill("alpha", "one")
        _ = p.repo.commit("first")
        // Backoffs of 1, 2 and 4 s, each scaled into [0.5, 1]: only the third is sure to reach 2 s.
        p.emulator.failNext(3, status: 503)
        let plan = try p.recon(["plan", "--no-color"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let lines = plan.stderr.split(separator: "\n").filter { $0.hasPrefix("Waiting") }
        XCTAssertTrue((1...2).contains(lines.count), plan.stderr)
        XCTAssertTrue(lines.contains { $0.contains("HTTP 503 from Airtable base \(p.baseID); retry 3 of 5") }, plan.stderr)
    }

    func testASlowRefreshIsSaidBeforeItStarts() throws {
        // At 1 request/s the schema and the two tables are three reads: about 3 s of silence before.
        let p = try AirtableProject(clientRate: 1)
        p.addSkill("alpha", "one")
        _ = p.repo.commit("first")
        let plan = try p.recon(["plan", "--no-color"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stderr.contains("Waiting 3s: reading about 0 records of 2 tables from the base (3 requests at 1/s)"), plan.stderr)
    }
}
