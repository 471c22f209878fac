import ReconCore
import TestSupport
import XCTest
@testable import Plan

/// A plan of hundreds of changes reads as a summary per table; `--detail full` lists every line.
final class ConcisePlanTests: XCTestCase {
    /// 560 creates and 5 updates in Skills, 230 deletes in Plugins.
    static func largePlan() throws -> Plan {
        var fixture = try PlanFixture()
        for n in 0..<560 { fixture.want("core:skills/s\(n)", ["Name": .text("Skill \(n)")]) }
        for n in 0..<5 {
            fixture.want("core:skills/u\(n)", ["Name": .text("After \(n)")])
            fixture.applied("core:skills/u\(n)", id: "recU\(n)", ["Name": .text("Before")], remote: ["Name": .text("Before")])
        }
        for n in 0..<230 {
            fixture.applied("core:plugins/p\(n)", id: "recP\(n)", ["Name": .text("P\(n)")], remote: ["Name": .text("P\(n)")], in: "Plugins")
        }
        return try fixture.plan()
    }

    private let golden = Golden.folder() + "/Golden"

    func testGoldenConciseText() throws {
        Golden.assertMatches(PlanTextRenderer(color: false).render(try Self.largePlan()), file: golden + "/large-concise.txt")
    }

    func testGoldenFullText() throws {
        Golden.assertMatches(PlanTextRenderer(color: false, detail: .full).render(try Self.largePlan()), file: golden + "/large-full.txt")
    }

    func testConciseShowsTheFirstOfEachActionCountsTheRestAndKeepsMoreDeletes() throws {
        let plan = try Self.largePlan()
        let text = PlanTextRenderer(color: false).render(plan)
        let lines = text.split(separator: "\n")

        XCTAssertEqual(lines.filter { $0.hasPrefix("  + ") }.count, PlanTextCut.linesPerAction)
        XCTAssertEqual(lines.filter { $0.hasPrefix("  ~ ") }.count, 5)
        XCTAssertEqual(lines.filter { $0.hasPrefix("  - ") }.count, PlanTextCut.deletesPerTable)
        XCTAssertTrue(text.contains("  … and 540 more creates in Skills (use --detail full to list every change)\n"), text)
        XCTAssertTrue(text.contains("  … and 30 more deletes in Plugins (use --detail full to list every change)\n"), text)
        XCTAssertTrue(text.hasSuffix("Plan: 560 to add, 5 to change, 230 to delete, 0 drift, 0 conflicts, 0 manual.\n"), text)
    }

    func testASmallPlanIsNeverCut() throws {
        var fixture = try PlanFixture()
        for n in 0..<PlanTextCut.conciseAbove { fixture.want("core:skills/s\(n)", [:]) }
        let plan = try fixture.plan()
        XCTAssertEqual(PlanTextRenderer(color: false).render(plan), PlanTextRenderer(color: false, detail: .full).render(plan))
    }
}
