@testable import Apply
import ReconCore
import XCTest

/// The delta plan finds each table's desired records by range in the extraction's (table, key) order; anything out of
/// that order, a repeated key included, is the full path's (issue 12, goal 4).
final class DeltaBaselineGateTests: XCTestCase {
    private func records(_ pairs: [(String, String)]) -> [DesiredRecord] {
        pairs.map { DesiredRecord(table: $0.0, key: $0.1, fields: [:], provenance: Provenance(repo: "core", path: "p", sourceCommit: "c")) }
    }

    func testEachTableIsARangeOfTheSortedRecords() throws {
        let sorted = records([("Documents", "d1"), ("Skills", "a"), ("Skills", "b"), ("Skills", "c"), ("Zeta", "z")])
        let ranges = try XCTUnwrap(DeltaBaselineGate.tableRanges(sorted))
        XCTAssertEqual(ranges, ["Documents": 0..<1, "Skills": 1..<4, "Zeta": 4..<5])
        XCTAssertEqual(DeltaBaselineGate.tableRanges([]), [:])
        XCTAssertEqual(DeltaBaselineGate.tableRanges(records([("Skills", "only")])), ["Skills": 0..<1])
    }

    func testRecordsOutOfOrderOrARepeatedKeyAreNoRanges() {
        XCTAssertNil(DeltaBaselineGate.tableRanges(records([("Skills", "b"), ("Skills", "a")])), "keys out of order")
        XCTAssertNil(DeltaBaselineGate.tableRanges(records([("Skills", "a"), ("Skills", "a")])), "a repeated key")
        XCTAssertNil(DeltaBaselineGate.tableRanges(records([("Skills", "a"), ("Documents", "b")])), "tables out of order")
        XCTAssertNil(DeltaBaselineGate.tableRanges(records([("A", "1"), ("B", "1"), ("A", "2")])), "a table in two runs")
    }

    func testHoldsFindsEveryKeyOfItsTableAndNoOther() throws {
        let sorted = records([("Documents", "m"), ("Skills", "b"), ("Skills", "d"), ("Skills", "f"), ("Skills", "h"), ("Zeta", "a")])
        let skills = sorted[try XCTUnwrap(DeltaBaselineGate.tableRanges(sorted)?["Skills"])]
        for key in ["b", "d", "f", "h"] { XCTAssertTrue(DeltaBaselineGate.holds(skills, key: key), key) }
        for key in ["a", "c", "e", "g", "i", "m", ""] { XCTAssertFalse(DeltaBaselineGate.holds(skills, key: key), key) }
        XCTAssertFalse(DeltaBaselineGate.holds(sorted[0..<0], key: "b"))
    }
}
