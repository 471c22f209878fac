import ReconCore
import XCTest
@testable import Plan

/// Each table's section holds its changes in plan order, tables in the order of their first change, whether a
/// table's changes are together (slices of the plan's) or apart (gathered).
final class PlanPresentationTests: XCTestCase {
    private func plan(order: [String]) throws -> Plan {
        var fixture = try PlanFixture()
        for key in ["s1", "s2"] { fixture.want("core:skills/\(key)", ["Name": .text(key)]) }
        fixture.want("core:plugins/p1", ["Name": .text("p1")], in: "Plugins")
        var plan = try fixture.plan()
        let byKey = Dictionary(uniqueKeysWithValues: plan.recordChanges.map { ($0.key, $0) })
        plan.recordChanges = order.map { byKey[$0]! }
        return plan
    }

    private func sections(_ plan: Plan) -> [String] {
        PlanPresentation(plan).tables.map { section in
            section.table + ": " + section.changes.indices.map { section.line(at: $0 - section.changes.startIndex).headline }.joined(separator: ", ")
        }
    }

    func testTablesTogetherAndApartGiveTheSameSections() throws {
        let together = try plan(order: ["core:skills/s1", "core:skills/s2", "core:plugins/p1"])
        let apart = try plan(order: ["core:skills/s1", "core:plugins/p1", "core:skills/s2"])
        XCTAssertEqual(sections(together), ["Skills: core:skills/s1, core:skills/s2", "Plugins: core:plugins/p1"])
        XCTAssertEqual(sections(apart), sections(together))
        XCTAssertEqual(PlanPresentation(apart).tables.map(\.counts), ["2 to add, 0 to change, 0 to delete", "1 to add, 0 to change, 0 to delete"])
        XCTAssertEqual(PlanPresentation(apart).tables.map(\.actions), [[.create, .create], [.create]])
        XCTAssertEqual(sections(try plan(order: [])), [])
    }
}
