import ReconCore
import TestSupport
import XCTest

/// `FieldOrdering` against the dictionary the executor filled before (issue 12): names in a fixed order, records of
/// many shapes interleaved (more than it keeps), repeated and canonically equivalent names among them.
final class FieldOrderingTests: XCTestCase {
    private let names = ["Key", "Name", "caf\u{E9}", "cafe\u{301}", "cafe", "\u{C5}", "A\u{30A}", "\u{212B}", "A", "a",
                         "Source Commit", "Zeta", "", "a name longer than fifteen bytes", "n\u{303}", "\u{F1}"]

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    func testCellsAreWhatADictionaryFilledInTheGivenOrderHolds() {
        var random = NameGenerator.Random(seed: 12)
        // 40 shapes, more than the 16 kept, so shapes are dropped and learnt again.
        let shapes: [[String]] = (0..<40).map { _ in
            (0..<Int.random(in: 0...8, using: &random)).map { _ in names.randomElement(using: &random)! }
        }
        var ordering = FieldOrdering()
        for step in 0..<2_000 {
            let shape = shapes.randomElement(using: &random)!
            let values = shape.indices.map { FieldValue.number(Double(step * 100 + $0)) }
            var model: [String: FieldValue] = [:]
            for (name, value) in zip(shape, values) { model[name] = value }
            let cells = ordering.cells(shape, values)
            let sorted = model.sorted(by: { $0.key < $1.key })
            XCTAssertEqual(cells.keys.map(bytes), sorted.map { bytes($0.key) }, "step \(step): \(shape)")
            XCTAssertEqual(cells.map(\.value), sorted.map(\.value), "step \(step): \(shape)")
            XCTAssertEqual(cells, FieldCells(model), "step \(step)")
        }
    }

    /// Records of one shape share one layout, the one a reader makes for those names: the SQLite writer resolves a
    /// layout to its columns once, by identity.
    func testRecordsOfOneShapeShareTheReadersLayout() {
        var ordering = FieldOrdering()
        let first = ordering.cells(["Name", "Weight", "Key"], [.text("a"), .number(1), .text("k1")])
        _ = ordering.cells(["Name", "Key"], [.text("b"), .text("k2")])
        let third = ordering.cells(["Name", "Weight", "Key"], [.text("c"), .number(3), .text("k3")])
        XCTAssertEqual(first.keys, ["Key", "Name", "Weight"])
        XCTAssertEqual(third.values, [.text("k3"), .text("c"), .number(3)])
        XCTAssertTrue(first.layout === third.layout)
        XCTAssertTrue(third.layout === FieldCells(["Key": .text("x"), "Name": .text("y"), "Weight": .number(0)]).layout)
    }

    /// A name spelled apart (NFD) is its own shape: the cells keep each record's spelling, byte for byte.
    func testSpellingsApartAreShapesApart() {
        var ordering = FieldOrdering()
        let composed = ordering.cells(["caf\u{E9}"], [.text("1")])
        let decomposed = ordering.cells(["cafe\u{301}"], [.text("2")])
        XCTAssertEqual(composed.keys.map(bytes), [bytes("caf\u{E9}")])
        XCTAssertEqual(decomposed.keys.map(bytes), [bytes("cafe\u{301}")])
    }

    func testSameUTF8TellsSpellingsApartAndFindsEqualBytesInAnyStorage() {
        let long = "a name longer than fifteen bytes"
        let copy = String(decoding: Array(long.utf8), as: UTF8.self)
        XCTAssertTrue(long.hasSameUTF8(as: copy))
        XCTAssertTrue(long.hasSameUTF8(as: long))
        XCTAssertTrue("Key".hasSameUTF8(as: String(decoding: Array("Key".utf8), as: UTF8.self)))
        XCTAssertFalse("caf\u{E9}".hasSameUTF8(as: "cafe\u{301}"))
        XCTAssertFalse(long.hasSameUTF8(as: long + "!"))
        XCTAssertTrue("".hasSameUTF8(as: String()))
    }
}
