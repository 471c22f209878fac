import Foundation
import ReconCore
import State
import TestSupport
import XCTest

/// A link apply leaves out is not recorded as written, so it never reads as drift afterwards
/// (SQLite keeps keys unique, so only an Airtable base can hold one key twice).
final class LinkLeftOutTests: XCTestCase {
    func testALinkToAKeyHeldByTwoBaseRecordsIsLeftOutOfTheStateToo() throws {
        let p = try AirtableProject()
        p.addSkill("alpha", "one")
        _ = p.repo.commit("first")
        XCTAssertEqual(try p.apply().status, 0)
        // Someone makes two records with the key of a plugin the repo is about to add.
        for _ in 0..<2 { p.emulator.insertRecord(p.baseID, table: "Plugins", cells: ["Key": "core:plugins/beta"]) }
        p.addSkill("beta", "three")
        _ = p.repo.commit("second")
        let applied = try p.apply()
        XCTAssertEqual(applied.status, 0, applied.output)
        XCTAssertTrue(applied.output.contains("left out"), applied.output)

        let three = "core:plugins/beta/skills/three"
        let record = try XCTUnwrap(p.records("Skills").first { $0["Key"]?.stringValue == three })
        XCTAssertNil(record["Plugin"], "the link was left out")
        let state = try XCTUnwrap(try StateStore(path: p.statePath).load(expectedTarget: nil))
        XCTAssertNil(state.records["Skills"]?[three]?.values["Plugin"], "and the state says so")

        let drift = try p.recon(["drift", "--no-color"])
        XCTAssertFalse(drift.stdout.contains("skills/three"), "the skill did not drift: \(drift.stdout)")
        let again = try p.apply()
        XCTAssertFalse(again.output.contains("restor"), again.output)
    }
}
