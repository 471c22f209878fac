import Foundation
import ReconCore
import Remote
@testable import SQLiteBase
import TestSupport
import XCTest

/// A delta refresh reads some records by key; each must come back exactly as the whole table's read gives it, link
/// cells filtered to the linked records that still exist, the same way (issue 12).
final class SQLiteKeyedReadTests: XCTestCase {
    func testKeyedRecordsAreTheWholeReadsRecordsWithDanglingAndEquivalentLinks() throws {
        let scratch = TemporaryDirectory("keyed-read")
        let (base, plugins, skills) = try Fixtures.base(in: scratch)
        let written = try base.upsert([["Key": .text("alpha")], ["Key": .text("beta")]], in: plugins, mergeOn: "Key")
        let alpha = written[0].record.id, beta = written[1].record.id
        _ = try base.upsert([
            ["Key": .text("one"), "Plugin": .list([alpha, beta])],
            ["Key": .text("two"), "Plugin": .list([beta])],
            ["Key": .text("three"), "Plugin": .list([alpha])],
            ["Key": .text("four"), "Plugin": .list([alpha])],
        ], in: skills, mergeOn: "Key")
        // A linked record deleted by another program, and a link id that only canonical equivalence matches:
        // U+212A KELVIN SIGN is "K" to a Swift set, and not to SQL's byte comparison.
        SQLiteShell.run(#"DELETE FROM "Plugins" WHERE "_recon_id" = '\#(beta)'"#, on: base.path)
        SQLiteShell.run(#"INSERT INTO "Plugins" ("_recon_id", "Key") VALUES ('Kelvin', 'kelvin')"#, on: base.path)
        SQLiteShell.run(#"UPDATE "Agent Skills" SET "Plugin" = json_array('\#u{212A}elvin') WHERE "Key" = 'three'"#, on: base.path)

        let reader = SQLiteBase(path: base.path)
        let whole = try reader.readRecords(in: skills)
        let byKey = Dictionary(uniqueKeysWithValues: whole.map { ($0.fields["Key"]!, $0) })
        XCTAssertEqual(byKey[.text("one")]?.fields["Plugin"], .list([alpha]), "the deleted plugin's id is filtered out")
        XCTAssertNil(byKey[.text("two")]?.fields["Plugin"], "a cell of only dangling ids reads as empty")
        XCTAssertEqual(byKey[.text("three")]?.fields["Plugin"], .list(["\u{212A}elvin"]))
        for keys in [["one"], ["two"], ["three"], ["one", "three"], ["four"], ["one", "two", "three", "four"]] {
            let keyed = try reader.readRecords(keys: keys, field: "Key", orIDs: [], in: skills)
            let wanted = Set(keys.map { FieldValue.text($0) })
            XCTAssertEqual(keyed, whole.filter { record in record.fields["Key"].map(wanted.contains) == true }, "\(keys)")
        }
        let four = try XCTUnwrap(byKey[.text("four")])
        XCTAssertEqual(try reader.readRecords(keys: [], field: "Key", orIDs: [four.id], in: skills), [four])
    }
}
