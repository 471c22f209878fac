import ReconCore
@testable import State
import TestSupport
import XCTest

/// A loaded state holds its records' names once per shape (the compact cells, issue 12), and writes back the
/// bytes it read, names spelled as they were.
final class StateCellsLayoutTests: XCTestCase {
    func testRecordsOfOneShapeReadFromAFileShareOneLayout() throws {
        let bytes = StateCodec.encode(StateSamples.populated(records: 50))
        let loaded = try StateCodec.decode(bytes)
        let records = Array(try XCTUnwrap(loaded.records["Skills"]).values)
        XCTAssertEqual(records.count, 50)
        XCTAssertEqual(Set(records.map(\.values.keys)), [["Name", "Plugin", "Reviewed", "Stars", "Tags"], ["Name", "Plugin", "Stars", "Tags"]])
        // Every other record's Reviewed is false, which is no value: two shapes, each shared.
        let shapes = Set(records.map { ObjectIdentifier($0.values.layout) })
        XCTAssertEqual(shapes.count, 2)
        XCTAssertTrue(StateCodec.encode(loaded) == bytes)
    }

    func testNamesSpelledNFDAndNFCKeepTheirBytesThroughALoad() throws {
        var state = StateSamples.populated(records: 1)
        state.records["Plugins"] = [
            "core:plugins/a": ManagedRecord(id: "recA", values: ["Caf\u{E9}": .text("nfc")]),
            "core:plugins/b": ManagedRecord(id: "recB", values: ["Cafe\u{301}": .text("nfd")]),
        ]
        let bytes = StateCodec.encode(state)
        let loaded = try StateCodec.decode(bytes)
        XCTAssertTrue(StateCodec.encode(loaded) == bytes)
        let b = try XCTUnwrap(loaded.records["Plugins"]?["core:plugins/b"])
        XCTAssertEqual(b.values.keys.map { Array($0.utf8) }, [Array("Cafe\u{301}".utf8)])
        XCTAssertEqual(b.values["Caf\u{E9}"], .text("nfd"), "looked up as a dictionary did")
        XCTAssertEqual(loaded, state)
    }

    /// The state's values are the storage a full-path plan's desired and read copies share (issue 12): each record of a
    /// table is sized by the one before it, so a table of one shape holds no empty slots past its first record.
    func testValuesOfOneShapeAreReadAtTheirSize() throws {
        var state = StateSamples.populated(records: 1)
        var skills: [String: ManagedRecord] = [:]
        for index in 0..<20 {
            var values: [String: FieldValue] = [:]
            for field in 0..<13 { values["Field \(field)"] = .text("value \(index) of field \(field)") }
            skills["core:skills/\(index)"] = ManagedRecord(id: "rec\(index)", values: values)
        }
        state.records["Skills"] = skills
        let loaded = try StateCodec.decode(StateCodec.encode(state))
        let read = try XCTUnwrap(loaded.records["Skills"])
        XCTAssertEqual(loaded, state)
        let slack = read.values.filter { $0.values.values.capacity > $0.values.count }
        XCTAssertLessThanOrEqual(slack.count, 1, "only the first record read is grown to its size")
    }
}
