import ReconCore
import XCTest

final class ValueInternerTests: XCTestCase {
    private func storage(_ text: String) -> UnsafePointer<UInt8>? {
        text.utf8.withContiguousStorageIfAvailable { $0.baseAddress } ?? nil
    }

    func testARepeatedCellReadFromJSONSharesTheFirstOnesStorage() throws {
        let commit = "0f1ac9b152865ac7a2446c365d6e1acedf27f046"
        let bytes = Array(#"[{"A":"\#(commit)","T":["t0","t1"]},{"A":"\#(commit)","T":["t0","t1"]}]"#.utf8)
        var cursor = JSONCursor(bytes)
        cursor.interner = ValueInterner()
        var read: [[String: FieldValue]] = []
        try cursor.beginArray()
        while try cursor.nextElement() {
            var cells: [String: FieldValue] = [:]
            try cursor.beginObject()
            while let name = try cursor.nextKey() { cells[name] = try cursor.fieldValue() }
            read.append(cells)
        }
        try cursor.finish()

        XCTAssertEqual(read, [["A": .text(commit), "T": .list(["t0", "t1"])], ["A": .text(commit), "T": .list(["t0", "t1"])]])
        guard case .text(let first)? = read[0]["A"], case .text(let second)? = read[1]["A"],
              case .list(let firstList)? = read[0]["T"], case .list(let secondList)? = read[1]["T"] else { return XCTFail() }
        XCTAssertNotNil(storage(first))
        XCTAssertEqual(storage(first), storage(second))
        XCTAssertEqual(firstList.withUnsafeBufferPointer { $0.baseAddress }, secondList.withUnsafeBufferPointer { $0.baseAddress })
    }

    func testDifferentValuesInOneSlotStayThemselves() {
        var interner = ValueInterner(slots: 1)
        let a = String(repeating: "a", count: 40), b = String(repeating: "b", count: 40)

        XCTAssertEqual(interner.text(a), a)
        XCTAssertEqual(interner.text(b), b)
        XCTAssertEqual(interner.text(a), a)
        XCTAssertEqual(interner.list(["x"]), ["x"])
        XCTAssertEqual(interner.list(["y", "z"]), ["y", "z"])
        XCTAssertEqual(interner.list([]), [])
    }

    /// Swift's `==` and `hashValue` see an NFC and an NFD spelling as one string, so they meet in one slot; a reader
    /// must still get back the bytes it read (a plan's reviewed value is what apply writes).
    func testCanonicallyEquivalentSpellingsKeepTheirOwnBytes() throws {
        var interner = ValueInterner()
        let composed = "caf\u{E9} cr\u{E8}me br\u{FB}l\u{E9}e, twice"
        let decomposed = "cafe\u{301} cre\u{300}me bru\u{302}le\u{301}e, twice"
        XCTAssertEqual(composed, decomposed, "the premise: Swift calls them equal")

        XCTAssertEqual(Array(interner.text(composed).utf8), Array(composed.utf8))
        XCTAssertEqual(Array(interner.text(decomposed).utf8), Array(decomposed.utf8))
        XCTAssertEqual(interner.list([composed]).map { Array($0.utf8) }, [Array(composed.utf8)])
        XCTAssertEqual(interner.list([decomposed]).map { Array($0.utf8) }, [Array(decomposed.utf8)])

        // The same through the reader the state, cache and plan decoders use.
        var cursor = JSONCursor(Array(#"["\#(composed)","\#(decomposed)"]"#.utf8))
        cursor.interner = ValueInterner()
        var read: [[UInt8]] = []
        try cursor.beginArray()
        while try cursor.nextElement() {
            guard case .text(let text) = try cursor.fieldValue() else { return XCTFail("a text cell") }
            read.append(Array(text.utf8))
        }
        try cursor.finish()
        XCTAssertEqual(read, [Array(composed.utf8), Array(decomposed.utf8)])
    }
}
