import ReconCore
import Remote
@testable import SQLiteBase
import TestSupport
import XCTest

final class SQLiteRoundTripTests: XCTestCase {
    func testEveryFieldTypeRoundTripsThroughAFreshConnection() throws {
        let scratch = TemporaryDirectory()
        let (base, plugins, skills) = try Fixtures.base(in: scratch)
        let plugin = try base.upsert([["Key": .text("core:plugins/a"), "Name": .text("A")]], in: plugins, mergeOn: "Key")[0]
        let written = Fixtures.fullSkill(key: "core:skills/x/SKILL.md", plugin: plugin.record.id)
        let stored = try base.upsert([written], in: skills, mergeOn: "Key")

        XCTAssertEqual(stored[0].record.fields, FieldCells(written))
        XCTAssertTrue(stored[0].created)
        let reopened = SQLiteBase(path: base.path)
        let schema = try reopened.inspectSchema()
        let records = try reopened.readRecords(in: schema.table(named: "Agent Skills")!)
        XCTAssertEqual(records, [stored[0].record])
        XCTAssertEqual(records[0].fields["Stars"], .number(-1234.56))
        XCTAssertEqual(records[0].fields["Plugin"], .list([plugin.record.id]))
    }

    func testEmptyFalseAndMissingValuesAreAbsentWhenRead() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        let stored = try base.upsert(
            [["Key": .text("k1"), "Name": .text(""), "Reviewed": .bool(false), "Tags": .list([]), "Stars": .number(0)]],
            in: skills, mergeOn: "Key")
        let records = try SQLiteBase(path: base.path).readRecords(in: skills)

        XCTAssertEqual(records[0].fields, ["Key": .text("k1"), "Stars": .number(0)])
        XCTAssertEqual(stored[0].record, records[0])
        let raw = try Fixtures.rawConnection(base.path)
        let reviewed = try raw.prepare("SELECT \"Reviewed\", \"Name\" FROM \"Agent Skills\"")
        XCTAssertTrue(try reviewed.step())
        XCTAssertTrue(reviewed.isNull(0), "false is stored as NULL, the same as absent")
        XCTAssertTrue(reviewed.isNull(1))
    }

    func testValuesAreStoredInPlainColumnsOtherToolsCanRead() throws {
        let scratch = TemporaryDirectory()
        let (base, plugins, skills) = try Fixtures.base(in: scratch)
        let plugin = try base.upsert([["Key": .text("p")]], in: plugins, mergeOn: "Key")[0].record
        _ = try base.upsert([Fixtures.fullSkill(key: "k", plugin: plugin.id)], in: skills, mergeOn: "Key")
        let raw = try Fixtures.rawConnection(base.path)
        let row = try raw.prepare("SELECT \"Stars\", \"Reviewed\", \"Tags\", \"Plugin\", typeof(\"Stars\"), \"Owner \"\"Email\"\"\" FROM \"Agent Skills\"")

        XCTAssertTrue(try row.step())
        XCTAssertEqual(row.double(0), -1234.56)
        XCTAssertEqual(row.int(1), 1)
        XCTAssertEqual(row.text(2), "[\"cli\",\"ai\"]")
        XCTAssertEqual(row.text(3), "[\"\(plugin.id)\"]")
        XCTAssertEqual(row.text(4), "real", "-1234.56 is not whole")
        XCTAssertEqual(row.text(5), "ada@example.com")
    }

    func testCellsEditedByHandIntoTheWrongShapeReadAsTextSoTheyShowAsDrift() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        _ = try base.upsert([["Key": .text("k")]], in: skills, mergeOn: "Key")
        let raw = try Fixtures.rawConnection(base.path)
        try raw.execute("UPDATE \"Agent Skills\" SET \"Stars\" = 'lots', \"Tags\" = 'not json', \"Reviewed\" = 7")
        let record = try SQLiteBase(path: base.path).readRecords(in: skills)[0]

        XCTAssertEqual(record.fields["Stars"], .text("lots"))
        XCTAssertEqual(record.fields["Tags"], .text("not json"))
        XCTAssertEqual(record.fields["Reviewed"], .bool(true))
    }

    func testRecordIDsHaveAirtableShapeAndNeverChange() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        let first = try base.upsert([["Key": .text("k"), "Name": .text("one")]], in: skills, mergeOn: "Key")[0].record
        let updated = try base.update([RecordUpdate(id: first.id, fields: ["Name": .text("two")])], in: skills)[0]

        XCTAssertTrue(first.id.hasPrefix("rec"))
        XCTAssertEqual(first.id.count, 17)
        XCTAssertTrue(first.id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        XCTAssertEqual(updated.id, first.id)
        XCTAssertEqual(try SQLiteBase(path: base.path).readRecords(in: skills).map(\.id), [first.id])
    }
}

extension SQLiteRoundTripTests {
    /// A regression: whole numbers were stored as REAL, so any SQLite tool showed `553.0` for a word count.
    func testWholeNumbersAreStoredAsIntegersAndFractionsAsReals() throws {
        let scratch = TemporaryDirectory()
        let (base, plugins, skills) = try Fixtures.base(in: scratch)
        let plugin = try base.upsert([["Key": .text("p")]], in: plugins, mergeOn: "Key")[0].record
        var whole = Fixtures.fullSkill(key: "whole", plugin: plugin.id)
        whole["Stars"] = .number(553)
        var fraction = Fixtures.fullSkill(key: "fraction", plugin: plugin.id)
        fraction["Stars"] = .number(1.5)
        _ = try base.upsert([whole, fraction], in: skills, mergeOn: "Key")
        let raw = try Fixtures.rawConnection(base.path)
        let rows = try raw.prepare("SELECT \"Key\", CAST(\"Stars\" AS TEXT), typeof(\"Stars\") FROM \"Agent Skills\" ORDER BY \"Key\"")
        XCTAssertTrue(try rows.step())
        XCTAssertEqual([rows.text(0), rows.text(1), rows.text(2)], ["fraction", "1.5", "real"])
        XCTAssertTrue(try rows.step())
        XCTAssertEqual([rows.text(0), rows.text(1), rows.text(2)], ["whole", "553", "integer"])
        let read = try base.readRecords(in: skills)
        XCTAssertEqual(Set(read.compactMap { $0.fields["Stars"] }), [.number(553), .number(1.5)], "both read back as numbers")
    }
}
