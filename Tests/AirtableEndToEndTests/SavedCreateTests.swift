import Foundation
import ReconCore
import TestSupport
import XCTest

/// On Airtable too, a saved plan's create must never land on a record made in the UI under its key after planning.
final class SavedCreateTests: XCTestCase {
    /// Preflight looks the create's key up with `filterByFormula` (the key holds a quote, escaped in the formula)
    /// and refuses the plan as stale, naming the key; the record keeps its values, protected Status included.
    func testApplyRefusesASavedCreateWhoseKeyWasMadeInTheBaseAfterPlanning() throws {
        let p = try AirtableProject()
        p.addSkill("alpha", "one")
        _ = p.repo.commit("one")
        XCTAssertEqual(try p.apply().runStatus, "succeeded")
        p.addSkill("alpha", "it's")
        _ = p.repo.commit("two")
        let plan = try p.recon(["plan", "-out", "plan.json"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let key = "core:plugins/alpha/skills/it's"
        let made = p.emulator.insertRecord(p.baseID, table: "Skills",
                                           cells: ["Key": .string(key), "Name": .string("Hand made"), "Status": .string("Published")])

        let applied = try p.apply("plan.json")
        XCTAssertNotEqual(applied.status, 0, applied.output)
        XCTAssertTrue(applied.output.contains("stale"), applied.output)
        XCTAssertTrue(applied.output.contains(made), applied.output)
        let record = try XCTUnwrap(p.records("Skills").first { $0["Key"]?.stringValue == key })
        XCTAssertEqual(record["Name"]?.stringValue, "Hand made")
        XCTAssertEqual(record["Status"]?.stringValue, "Published")
        XCTAssertEqual(p.keys("Skills").count, 2)
    }
}
