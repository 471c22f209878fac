import ReconCore
import XCTest
@testable import Plan

/// What a large plan holds while it is made (issue 12, goal 5, fix/coldmem).
final class PlannerPeakTests: XCTestCase {
    /// The plan's change list is made at its size from each table's: appended table by table it grew by doubling, so
    /// 200 plugins then 150 skills held room for 400, the old and new buffers both live while the skills were copied.
    func testThePlansChangeListIsSizedOnce() throws {
        var fixture = try PlanFixture()
        for index in 0..<200 { fixture.want("core:plugins/p\(index)", ["Name": .text("p\(index)")], in: "Plugins") }
        for index in 0..<150 { fixture.want("core:skills/s\(index)", ["Name": .text("s\(index)")]) }
        let plan = try fixture.plan()
        XCTAssertEqual(plan.recordChanges.count, 350)
        XCTAssertLessThan(plan.recordChanges.capacity, 380, "sized once, not grown by doubling")
        XCTAssertEqual(plan.recordChanges.map(\.table), Array(repeating: "Plugins", count: 200) + Array(repeating: "Skills", count: 150),
                       "in the manifests' table order, as before")
    }
}
