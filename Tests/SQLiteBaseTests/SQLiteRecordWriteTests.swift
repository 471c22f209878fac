import ReconCore
import Remote
@testable import SQLiteBase
import TestSupport
import XCTest

final class SQLiteRecordWriteTests: XCTestCase {
    func testUpsertingTheSameBatchTwiceMakesNoDuplicates() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        let batch: [[String: FieldValue]] = (1...50).map { ["Key": .text("core:s\($0)"), "Name": .text("Skill \($0)")] }
        let first = try base.upsert(batch, in: skills, mergeOn: "Key")
        let second = try base.upsert(batch, in: skills, mergeOn: "Key")
        let records = try base.readRecords(in: skills)

        XCTAssertEqual(records.count, 50)
        XCTAssertTrue(first.allSatisfy(\.created))
        XCTAssertTrue(second.allSatisfy { !$0.created })
        XCTAssertEqual(first.map(\.record.id), second.map(\.record.id))
        XCTAssertEqual(Set(records.map(\.id)), Set(first.map(\.record.id)))
    }

    func testUpsertOnAnExistingKeyWritesOnlyTheGivenFields() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        _ = try base.upsert([["Key": .text("k"), "Name": .text("n"), "Status": .text("Draft")]], in: skills, mergeOn: "Key")
        let merged = try base.upsert([["Key": .text("k"), "Name": .text("renamed")]], in: skills, mergeOn: "Key")[0]

        XCTAssertFalse(merged.created)
        XCTAssertEqual(merged.record.fields, ["Key": .text("k"), "Name": .text("renamed"), "Status": .text("Draft")])
    }

    func testTheKeyColumnHasAUniqueIndex() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        _ = try base.upsert([["Key": .text("k")]], in: skills, mergeOn: "Key")
        let raw = try Fixtures.rawConnection(base.path)

        XCTAssertThrowsError(try raw.execute("INSERT INTO \"Agent Skills\" (_recon_id, \"Key\") VALUES ('recX', 'k')")) {
            XCTAssertTrue("\($0)".contains("UNIQUE"), "\($0)")
        }
    }

    func testMergingOnAFieldWithDuplicateValuesIsAnIntegrityError() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        _ = try base.upsert([["Key": .text("a"), "Name": .text("same")], ["Key": .text("b"), "Name": .text("same")]],
                            in: skills, mergeOn: "Key")

        XCTAssertThrowsError(try base.upsert([["Name": .text("same")]], in: skills, mergeOn: "Name")) {
            XCTAssertTrue("\($0)".contains("more than one record with Name = 'same'"), "\($0)")
        }
    }

    func testUpdateSetsAndClearsCellsAndLeavesOthers() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        let record = try base.upsert([["Key": .text("k"), "Name": .text("n"), "Stars": .number(3), "Tags": .list(["ai"])]],
                                     in: skills, mergeOn: "Key")[0].record
        let updated = try base.update(
            [RecordUpdate(id: record.id, fields: ["Stars": nil, "Tags": .list([]), "Reviewed": .bool(true)])], in: skills)

        XCTAssertEqual(updated[0].fields, ["Key": .text("k"), "Name": .text("n"), "Reviewed": .bool(true)])
        XCTAssertEqual(try base.readRecords(in: skills), updated)
    }

    func testUpdatingAMissingRecordFailsAndRollsBackTheWholeBatch() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        let record = try base.upsert([["Key": .text("k"), "Name": .text("before")]], in: skills, mergeOn: "Key")[0].record

        XCTAssertThrowsError(try base.update([
            RecordUpdate(id: record.id, fields: ["Name": .text("after")]),
            RecordUpdate(id: "recMISSING000000", fields: ["Name": .text("x")]),
        ], in: skills)) {
            XCTAssertTrue("\($0)".contains("recMISSING000000 does not exist"), "\($0)")
        }
        XCTAssertEqual(try base.readRecords(in: skills)[0].fields["Name"], .text("before"))
    }

    func testAValueOfTheWrongKindRollsBackTheBatch() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)

        XCTAssertThrowsError(try base.upsert(
            [["Key": .text("ok")], ["Key": .text("bad"), "Stars": .text("five")]], in: skills, mergeOn: "Key")) {
            XCTAssertTrue("\($0)".contains("cannot write text to field 'Stars'"), "\($0)")
        }
        XCTAssertEqual(try base.readRecords(in: skills), [])
    }

    func testLinksMustNameExistingRecordsAndDeletedOnesDisappearFromLinks() throws {
        let scratch = TemporaryDirectory()
        let (base, plugins, skills) = try Fixtures.base(in: scratch)
        let made = try base.upsert([["Key": .text("p1")], ["Key": .text("p2")]], in: plugins, mergeOn: "Key").map(\.record.id)

        XCTAssertThrowsError(try base.upsert([["Key": .text("s"), "Plugin": .list(["recNOPE000000000"])]], in: skills, mergeOn: "Key")) {
            XCTAssertTrue("\($0)".contains("links to recNOPE000000000"), "\($0)")
        }
        _ = try base.upsert([["Key": .text("s"), "Plugin": .list(made)]], in: skills, mergeOn: "Key")
        try base.delete([made[0], "recGONE000000000"], in: plugins)

        XCTAssertEqual(try base.readRecords(in: plugins).map(\.id), [made[1]])
        XCTAssertEqual(try base.readRecords(in: skills)[0].fields["Plugin"], .list([made[1]]))
        try base.delete([made[1]], in: plugins)
        XCTAssertNil(try base.readRecords(in: skills)[0].fields["Plugin"])
    }

    func testABatchOverTheLimitIsRefused() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch, limit: 2)

        XCTAssertEqual(base.limits.maxRecordsPerBatch, 2)
        XCTAssertThrowsError(try base.upsert((1...3).map { ["Key": .text("k\($0)")] }, in: skills, mergeOn: "Key")) {
            XCTAssertTrue("\($0)".contains("exceeds the SQLite provider's limit of 2"), "\($0)")
        }
        XCTAssertEqual(try base.readRecords(in: skills).count, 0)
    }

    func testARecordWithoutItsKeyIsRefused() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)

        XCTAssertThrowsError(try base.upsert([["Name": .text("no key")]], in: skills, mergeOn: "Key")) {
            XCTAssertTrue("\($0)".contains("no value for its key field 'Key'"), "\($0)")
        }
    }
}
