import ReconCore
import XCTest

final class DesiredRecordTests: XCTestCase {
    private let provenance = Provenance(repo: "core", path: "a.md", sourceCommit: String(repeating: "a", count: 40))

    func testEmptyValuesAreDroppedAndHashTheSameAsAbsent() {
        let withEmpty = DesiredRecord(table: "T", key: "core:a.md",
                                      fields: ["Name": .text("x"), "Notes": .text(""), "Done": .bool(false), "Tags": .list([])],
                                      provenance: provenance)
        let bare = DesiredRecord(table: "T", key: "core:a.md", fields: ["Name": .text("x")], provenance: provenance)
        XCTAssertEqual(withEmpty.fields, ["Name": .text("x")])
        XCTAssertEqual(withEmpty.contentHash, bare.contentHash)
        let other = DesiredRecord(table: "T", key: "core:a.md", fields: ["Name": .text("y")], provenance: provenance)
        XCTAssertNotEqual(other.contentHash, bare.contentHash)
    }

    func testJSONParserReportsLineAndColumn() {
        XCTAssertThrowsError(try JSONParser.parse("{\n  \"a\": 1,\n  \"b\" 2\n}")) { error in
            let failure = error as! JSONParser.Failure
            XCTAssertEqual(failure.line, 3)
            XCTAssertEqual(failure.column, 7)
        }
    }
}
