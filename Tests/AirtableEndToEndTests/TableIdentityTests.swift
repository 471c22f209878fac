import Foundation
import TestSupport
import XCTest

/// A table is found by the id the state recorded, then by name, from refresh to apply (the real binary
/// against the emulator): a rename in the base is planned back, never read as every record deleted.
final class TableIdentityTests: XCTestCase {
    func testATableRenamedInTheBaseIsRenamedBackAndKeepsItsRecords() throws {
        let p = try AirtableProject()
        p.addSkill("alpha", "one")
        p.addSkill("alpha", "two")
        _ = p.repo.commit("first")
        XCTAssertEqual(try p.apply().status, 0)
        let ids = Set(p.records("Skills").compactMap { $0["id"]?.stringValue })
        XCTAssertEqual(ids.count, 2)

        p.emulator.renameTable(p.baseID, table: "Skills", to: "Agent skills")
        let plan = try p.recon(["plan", "-detailed-exitcode", "--no-color"])
        XCTAssertEqual(plan.status, 2, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stdout.contains("update table Skills"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("name: \"Agent skills\" → \"Skills\" (renamed in the base)"), plan.stdout)
        XCTAssertFalse(plan.stdout.contains("recreate"), plan.stdout)
        let drift = try p.recon(["drift", "--no-color"])
        XCTAssertEqual(drift.status, 2, drift.stdout + drift.stderr)
        XCTAssertTrue(drift.stdout.contains("table 'Skills' was renamed to 'Agent skills' in the base"), drift.stdout)

        let applied = try p.apply()
        XCTAssertEqual(applied.status, 0, applied.output)
        XCTAssertEqual(Set(p.records("Skills").compactMap { $0["id"]?.stringValue }), ids, "the same records, renamed back")
        let again = try p.recon(["plan", "-detailed-exitcode", "--no-color"])
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
    }

    /// A saved plan made before the rename in the base is applied to the table by id.
    func testASavedPlanFindsItsTableByIDAfterARenameInTheBase() throws {
        let p = try AirtableProject()
        p.addSkill("alpha", "one")
        _ = p.repo.commit("first")
        XCTAssertEqual(try p.apply().status, 0)
        p.addSkill("alpha", "two")
        _ = p.repo.commit("second")
        p.emulator.renameTable(p.baseID, table: "Skills", to: "Agent skills")
        let saved = try p.recon(["plan", "-out", "plan.json", "--no-color"])
        XCTAssertEqual(saved.status, 0, saved.stdout + saved.stderr)
        let applied = try p.apply("plan.json")
        XCTAssertEqual(applied.status, 0, applied.output)
        XCTAssertEqual(p.keys("Skills"), ["core:plugins/alpha/skills/one", "core:plugins/alpha/skills/two"])
    }
}
