import Plan
import ReconCore
import XCTest

/// A field change is a value: its boxed `before` and `recorded` read, write, copy and compare like stored properties.
/// A 100,000-create plan holds 1.3 million of them, so their size counts (issue 12).
final class FieldChangeTests: XCTestCase {
    func testBeforeAndRecordedBehaveAsStoredValues() {
        var change = FieldChange(name: "Name", kind: .conflict, before: .text("base"), after: .text("desired"), recorded: .text("state"))
        let copy = change
        change.before = .number(2)
        XCTAssertEqual(change.before, .number(2))
        XCTAssertEqual(change.recorded, .text("state"), "setting one keeps the other")
        XCTAssertEqual(copy.before, .text("base"), "a copy keeps its own value")
        XCTAssertNotEqual(change, copy)
        change.before = .text("base")
        XCTAssertEqual(change, copy)
        change.recorded = nil
        change.before = nil
        XCTAssertEqual(change, FieldChange(name: "Name", kind: .conflict, before: nil, after: .text("desired")))
        XCTAssertNotEqual(change, copy)
    }

    func testAFieldChangeOfACreateIsSmall() {
        // Inline, `before` and `recorded` made it 96 bytes; the kind stored between the name and the value, 56.
        XCTAssertLessThanOrEqual(MemoryLayout<FieldChange>.stride, 48)
    }
}
