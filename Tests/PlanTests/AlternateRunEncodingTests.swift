import ReconCore
import XCTest
@testable import Plan

/// A plan's record changes encoded in runs on two cores are the bytes of one pass, whatever the runs' length.
final class AlternateRunEncodingTests: XCTestCase {
    private func encoded(_ plan: Plan, pretty: Bool, runLength: Int) -> [UInt8] {
        var writer = JSONWriter(pretty: pretty)
        var drained: [UInt8] = []
        PlanEncoder.write(plan, to: &writer, drainAt: 4096, runLength: runLength) { drained += $0.takeBytes() }
        return drained + writer.finish()
    }

    func testRunsOfAnyLengthGiveTheBytesOfOnePass() throws {
        var fixture = try PlanFixture()
        let specials = ["\"", "\\", "\n", "\u{01}", "é", "🦊", "\u{301}"]
        for index in 0..<1500 {
            let text = "Skill \(index) " + specials[index % specials.count]
            fixture.want("core:skills/s\(index)", ["Name": .text(text), "Score": .number(Double(index) / 8), "Ready": .bool(index % 2 == 0)])
        }
        for index in 0..<3 { fixture.want("core:plugins/p\(index)", ["Name": .text("Plugin \(index)")], in: "Plugins") }
        fixture.want("core:skills/changed", ["Name": .text("After")])
        fixture.applied("core:skills/changed", id: "recChanged", ["Name": .text("Before")], remote: ["Name": .text("Before")])
        fixture.applied("core:skills/gone", id: "recGone", ["Name": .text("Gone")], remote: ["Name": .text("Gone")])
        let plan = try fixture.plan()
        XCTAssertEqual(plan.recordChanges.count, 1505)
        XCTAssertEqual(Set(plan.recordChanges.map(\.action)), [.create, .update, .delete])
        for pretty in [true, false] {
            let onePass = encoded(plan, pretty: pretty, runLength: .max)
            XCTAssertEqual(try JSONParser.parse(onePass).canonicalBytes(pretty: pretty), onePass, "one pass is canonical JSON")
            for runLength in [1, 2, 3, 7, 100, 751, 752] {
                XCTAssertEqual(encoded(plan, pretty: pretty, runLength: runLength), onePass, "runs of \(runLength), pretty: \(pretty)")
            }
        }
    }

    /// Every small count of changes, none to 12, in runs of 1 to 5: an even or odd number of runs, a short last run,
    /// exactly twice a run's length, and too few changes to halve.
    func testEverySmallCountGivesTheBytesOfOnePass() throws {
        var fixture = try PlanFixture()
        for index in 0..<12 { fixture.want("core:skills/s\(index)", ["Name": .text("Skill \(index)")]) }
        let whole = try fixture.plan()
        for count in 0...12 {
            var plan = whole
            plan.recordChanges = Array(whole.recordChanges.prefix(count))
            for pretty in [true, false] {
                let onePass = encoded(plan, pretty: pretty, runLength: .max)
                for runLength in 1...5 {
                    XCTAssertEqual(encoded(plan, pretty: pretty, runLength: runLength), onePass, "\(count) changes in runs of \(runLength)")
                }
            }
        }
    }
}
