import ReconCore
import XCTest
@testable import Plan

/// Reading a plan file without a tree: the body is hashed as it is read and decoded with a cursor, so the
/// rules of the tree reader must hold, plus one it lacked: a key given twice is refused where it stands.
final class PlanFileReadTests: XCTestCase {
    /// A member repeated in the body: the tree reader kept the last one, so the digest still matched and a reviewer
    /// could read a value that was not the one applied.
    func testDuplicateKeyInTheBodyIsRefusedWithItsLineAndColumn() throws {
        let text = String(decoding: PlanFile.encode(try PlanFileTests.samplePlan()), as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        XCTAssertEqual(lines[3], #"  "plan": {"#)
        lines.insert(#"    "target": "sqlite:somewhere-else.sqlite","#, at: 4)
        let second = try XCTUnwrap(lines.indices.first { $0 > 4 && lines[$0].hasPrefix(#"    "target": "#) })
        XCTAssertThrowsError(try PlanFile.decode(Array(lines.joined(separator: "\n").utf8))) { error in
            let message = (error as? ReconError)?.message ?? "\(error)"
            XCTAssertTrue(message.contains("not valid JSON"), message)
            XCTAssertTrue(message.contains(#"line \#(second + 1), column 5: duplicate key "target""#), message)
        }
    }

    func testDuplicateKeyInARecordChangeAndAtTheTopAreRefused() throws {
        let text = String(decoding: PlanFile.encode(try PlanFileTests.samplePlan()), as: UTF8.self)
        let inChange = text.replacingOccurrences(of: #""action": "update","#, with: #""action": "delete", "action": "update","#)
        XCTAssertNotEqual(inChange, text)
        let atTop = text.replacingOccurrences(of: #""format_version": 1,"#, with: #""format_version": 1, "format_version": 1,"#)
        for edited in [inChange, atTop] {
            XCTAssertThrowsError(try PlanFile.decode(Array(edited.utf8))) { error in
                XCTAssertTrue("\(error)".contains("duplicate key"), "\(error)")
            }
        }
    }

    /// A tool that reorders keys keeps the file valid: the digest is over the sorted form, as before.
    func testKeysInAnyOrderReadAsTheSortedFile() throws {
        let plan = try PlanFileTests.samplePlan()
        let body = try XCTUnwrap(try JSONParser.parse(PlanFile.encode(plan))["plan"])
        var file = Array(#"{"plan": "#.utf8)
        Self.writeReversed(body, to: &file)
        file += Array(#", "format_version": 1, "digest": "sha256:\#(SHA256.hex(body.canonicalBytes()))"}"#.utf8)
        XCTAssertEqual(try PlanFile.decode(file), plan)
        XCTAssertEqual(try PlanFile.verify(file).digest, PlanFile.digest(of: plan))
    }

    /// The sorted reader and the fallback agree on what a duplicate is, even when the file is not sorted.
    func testDuplicateKeyInAnUnsortedObjectIsRefused() throws {
        let body = #"{"tool_version": "1", "target": "t", "tool_version": "1", "manifest_digest": "m", "lineage": "l"}"#
        let digest = try JSONParser.parse(body).canonicalBytes()
        let file = #"{"digest": "sha256:\#(SHA256.hex(digest))", "format_version": 1, "plan": \#(body)}"#
        let second = try XCTUnwrap(file.ranges(of: #""tool_version""#).last).lowerBound
        let column = file.distance(from: file.startIndex, to: second) + 1
        XCTAssertThrowsError(try PlanFile.decode(Array(file.utf8))) { error in
            XCTAssertTrue("\(error)".contains(#"line 1, column \#(column): duplicate key "tool_version""#), "\(error)")
        }
    }

    /// Creates in many shapes (more than the reader keeps worked out, interleaved, in two tables) read back as planned,
    /// sorted file or reordered: each compact `set` becomes field changes in field order and state values without the key.
    func testCompactCreatesOfManyShapesReadAsPlanned() throws {
        var fixture = try PlanFixture()
        let optional: [(String, FieldValue)] = [("Name", .text("N")), ("Score", .number(2.5)), ("Ready", .bool(true)),
                                                ("Plugin", .list(["core:plugins/p0"])), ("Status", .text("Draft")), ("Notes", .text("a\nb"))]
        fixture.want("core:plugins/p0", ["Name": .text("P")], in: "Plugins")
        for index in 0..<200 {
            let mask = (index * 37) % 64
            var fields: [String: FieldValue] = [:]
            for (bit, field) in optional.enumerated() where mask & (1 << bit) != 0 { fields[field.0] = field.1 }
            fixture.want("core:skills/s\(index)", fields)
            if index % 3 == 0 { fixture.want("core:plugins/p\(index + 1)", index % 2 == 0 ? ["Name": .text("P\(index)")] : [:], in: "Plugins") }
        }
        let plan = try fixture.plan()
        XCTAssertGreaterThan(plan.recordChanges.filter { $0.action == .create }.count, 250)
        let encoded = PlanFile.encode(plan)
        XCTAssertTrue(String(decoding: encoded, as: UTF8.self).contains(#""set": {"#))
        XCTAssertEqual(try PlanFile.decode(encoded), plan)
        let body = try XCTUnwrap(try JSONParser.parse(encoded)["plan"])
        var file = Array(#"{"plan": "#.utf8)
        Self.writeReversed(body, to: &file)
        file += Array(#", "format_version": 1, "digest": "sha256:\#(SHA256.hex(body.canonicalBytes()))"}"#.utf8)
        XCTAssertEqual(try PlanFile.decode(file), plan)
    }

    /// The lists read element by element give back what was written, in order and in a reordered file too.
    func testListsReadElementByElementRoundTrip() throws {
        var plan = try PlanFileTests.samplePlan()
        XCTAssertFalse(plan.preconditions.isEmpty)
        plan.protectedSkips = [ProtectedSkip(table: "Skills", key: "core:skills/b", field: "Status", base: .text("Published"), desired: .text("Draft")),
                               ProtectedSkip(table: "Skills", key: "core:skills/a", field: "Notes", base: nil, desired: .list(["x"]))]
        plan.integrityErrors = [IntegrityError(table: "Skills", key: "twice", recordIDs: ["rec1", "rec2"])]
        XCTAssertEqual(try PlanFile.decode(PlanFile.encode(plan)), plan)
        let body = try XCTUnwrap(try JSONParser.parse(PlanFile.encode(plan))["plan"])
        var file = Array(#"{"digest": "sha256:\#(SHA256.hex(body.canonicalBytes()))", "format_version": 1, "plan": "#.utf8)
        Self.writeReversed(body, to: &file)
        file += Array("}".utf8)
        XCTAssertEqual(try PlanFile.decode(file), plan)
    }

    /// Compact JSON with every object's keys in descending order.
    private static func writeReversed(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .object(let members):
            out += Array("{".utf8)
            for (index, name) in members.keys.sorted(by: >).enumerated() {
                if index > 0 { out += Array(",".utf8) }
                out += JSONValue.string(name).canonicalBytes() + Array(":".utf8)
                writeReversed(members[name]!, to: &out)
            }
            out += Array("}".utf8)
        case .array(let items):
            out += Array("[".utf8)
            for (index, item) in items.enumerated() {
                if index > 0 { out += Array(",".utf8) }
                writeReversed(item, to: &out)
            }
            out += Array("]".utf8)
        default:
            out += value.canonicalBytes()
        }
    }
}
