import Foundation
import XCTest
@testable import YAML

/// Loading is linear in the input: a long sequence or mapping is built in place, not copied on
/// every item (40,000 items once took 28 s to extract). The bounds are ~30× what a linear loader
/// takes on a loaded 2-core machine and far below what a quadratic one takes.
final class YAMLScaleTests: XCTestCase {
    func testALongSequenceLoadsInLinearTime() throws {
        let text = "items:\n" + String(repeating: "  - x\n", count: 200_000)
        let start = Date()
        let documents = try YAMLLoader().load(text, file: "long.yaml")
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(documents.first?.mapping?.first?.value.sequence?.count, 200_000)
        XCTAssertLessThan(elapsed, 30, "200,000 items took \(elapsed) s")
    }

    func testALongMappingLoadsInLinearTime() throws {
        var text = ""
        for index in 0..<100_000 { text += "k\(index): v\n" }
        let start = Date()
        let documents = try YAMLLoader().load(text, file: "wide.yaml")
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(documents.first?.mapping?.count, 100_000)
        XCTAssertLessThan(elapsed, 30, "100,000 keys took \(elapsed) s")
    }
}
