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
}
