import AirtableBase
import Foundation
import ReconCore
import Remote
import TestSupport
import XCTest

/// The records API over loopback HTTP: round trips, pages, projection, idempotent upserts.
final class AirtableRecordTests: XCTestCase {
    func testEveryFieldTypeRoundTrips() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (plugins, skills) = try harness.createCatalog(provider)
        let plugin = try provider.upsert([["Key": .text("core:p"), "Name": .text("P")]], in: plugins, mergeOn: "Key")[0]
        XCTAssertTrue(plugin.created)
        let fields: [String: FieldValue] = [
            "Key": .text("core:a"), "Name": .text("Alpha"), "Body": .text("line 1\nline 2"), "Home": .text("https://example.com"),
            "Mail": .text("a@example.com"), "Phone": .text("+1 555 0100"), "Score": .number(2.5), "Ready": .bool(true),
            "Day": .text("2024-05-01"), "At": .text("2024-05-01T10:30:00Z"), "Status": .text("Published"),
            "Tags": .list(["a", "c"]), "Plugin": .list([plugin.record.id]),
        ]
        let written = try provider.upsert([fields], in: skills, mergeOn: "Key")
        XCTAssertEqual(written.map(\.created), [true])
        XCTAssertEqual(written[0].record.fields.dictionary, fields, "the write's answer decodes to what was written")
        let read = try provider.readRecords(in: skills)
        XCTAssertEqual(read.map(\.fields.dictionary), [fields], "and so does a fresh read")
        XCTAssertTrue(read[0].id.hasPrefix("rec") && read[0].id.count == 17)
        let stored = harness.emulator.records(harness.baseID, table: "Skills")[0]
        XCTAssertEqual(stored["At"], "2024-05-01T10:30:00.000Z", "Airtable's own spelling is stored; the codec reads it back equal")
    }

    func testEmptyValuesAreOmittedAndClearCells() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (_, skills) = try harness.createCatalog(provider)
        let full: [String: FieldValue] = ["Key": .text("core:a"), "Body": .text("x"), "Ready": .bool(true), "Tags": .list(["a"]), "Score": .number(0)]
        let id = try provider.upsert([full], in: skills, mergeOn: "Key")[0].record.id
        let cleared = try provider.update([RecordUpdate(id: id, fields: ["Body": .text(""), "Ready": .bool(false), "Tags": nil])], in: skills)
        XCTAssertEqual(cleared[0].fields, ["Key": .text("core:a"), "Score": .number(0)], "zero is a value; empties are not")
        XCTAssertEqual(Set(harness.emulator.records(harness.baseID, table: "Skills")[0].keys), ["id", "Key", "Score"],
                       "the base stores no empty cell")
    }

    func testListingFollowsOffsetsInPagesOf100AndProjectsReadableFields() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (_, skills) = try harness.createCatalog(provider)
        harness.emulator.addField(harness.baseID, table: "Skills", name: "Total", type: "formula")
        for index in 0..<250 {
            harness.emulator.insertRecord(harness.baseID, table: "Skills", cells: ["Key": .string("k\(index)"), "Total": 3])
        }
        harness.emulator.resetLog()
        let records = try provider.readRecords(in: skills)
        XCTAssertEqual(records.count, 250)
        XCTAssertEqual(Set(records.compactMap { $0.fields["Key"] }).count, 250, "no record read twice or skipped")
        XCTAssertEqual(harness.emulator.requests.map(\.method), ["GET", "GET", "GET"], "100 + 100 + 50")
        XCTAssertTrue(records.allSatisfy { $0.fields["Total"] == nil }, "a formula field is not projected")
    }

    func testFieldRenamedInTheUIStillMapsByID() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (_, skills) = try harness.createCatalog(provider)
        _ = try provider.upsert([["Key": .text("core:a"), "Name": .text("Alpha")]], in: skills, mergeOn: "Key")
        harness.emulator.renameField(harness.baseID, table: "Skills", field: "Name", to: "Title")
        // The table as read before the rename: cells come back by id, so nothing is lost.
        let records = try provider.readRecords(in: skills)
        XCTAssertEqual(records[0].fields["Name"], .text("Alpha"))
    }

    func testUpsertIsIdempotentAndALostAnswerMakesNoDuplicate() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (plugins, _) = try harness.createCatalog(provider)
        let batch: [[String: FieldValue]] = (0..<10).map { ["Key": .text("core:\($0)"), "Name": .text("n\($0)")] }
        harness.emulator.dropResponses(1, methods: ["PATCH"])
        let first = try provider.upsert(batch, in: plugins, mergeOn: "Key")
        XCTAssertEqual(first.map(\.created), Array(repeating: true, count: 10),
                       "the retry found what the lost attempt wrote: this batch's own records, not ones that were there before")
        XCTAssertEqual(first.compactMap(\.previous), [])
        let again = try provider.upsert(batch, in: plugins, mergeOn: "Key")
        XCTAssertEqual(again.map(\.record.id), first.map(\.record.id))
        XCTAssertEqual(again.map(\.created), Array(repeating: false, count: 10))
        XCTAssertEqual(again.compactMap(\.previous?.id), first.map(\.record.id), "records that were there keep their before-images")
        XCTAssertEqual(harness.emulator.records(harness.baseID, table: "Plugins").count, 10)
        XCTAssertEqual(harness.emulator.requests.filter { $0.method == "PATCH" }.map(\.status), [0, 200, 200])
    }

    func testBatchesOver10AreRefusedBeforeSendingAndTheEmulatorEnforcesTheLimit() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (plugins, _) = try harness.createCatalog(provider)
        XCTAssertEqual(provider.limits.maxRecordsPerBatch, 10)
        harness.emulator.resetLog()
        let eleven: [[String: FieldValue]] = (0..<11).map { ["Key": .text("k\($0)")] }
        XCTAssertThrowsError(try provider.upsert(eleven, in: plugins, mergeOn: "Key"))
        XCTAssertTrue(harness.emulator.requests.isEmpty)
        let raw = try RawRequest.send(harness, "PATCH", "/v0/\(harness.baseID)/\(plugins.id)",
                                      body: ["records": .array((0..<11).map { _ in ["fields": ["Key": "x"]] })])
        XCTAssertEqual(raw.status, 422)
        XCTAssertEqual(raw.json?["error"]?["type"], "INVALID_RECORDS")
    }

    func testUpdatesAndDeletesByIDAndMissingRecords() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (plugins, _) = try harness.createCatalog(provider)
        let ids = try provider.upsert((0..<3).map { ["Key": .text("k\($0)")] }, in: plugins, mergeOn: "Key").map(\.record.id)
        let updated = try provider.update([RecordUpdate(id: ids[1], fields: ["Name": .text("one")])], in: plugins)
        XCTAssertEqual(updated[0].fields, ["Key": .text("k1"), "Name": .text("one")])
        harness.emulator.deleteRecord(harness.baseID, table: "Plugins", record: ids[0])
        try provider.delete([ids[0], ids[2]], in: plugins)
        XCTAssertEqual(harness.emulator.records(harness.baseID, table: "Plugins").map { $0["id"] }, [.string(ids[1])],
                       "an id already gone is skipped, the other is deleted")
        XCTAssertThrowsError(try provider.update([RecordUpdate(id: ids[0], fields: ["Name": .text("x")])], in: plugins)) { error in
            XCTAssertTrue("\(error)".contains("no longer exists"), "\(error)")
        }
    }

    func testDeletingARecordRemovesItFromLinkCells() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (plugins, skills) = try harness.createCatalog(provider)
        let plugin = try provider.upsert([["Key": .text("p")]], in: plugins, mergeOn: "Key")[0].record.id
        _ = try provider.upsert([["Key": .text("s"), "Plugin": .list([plugin])]], in: skills, mergeOn: "Key")
        try provider.delete([plugin], in: plugins)
        XCTAssertEqual(try provider.readRecords(in: skills).map(\.fields), [["Key": .text("s")]])
    }

    func testTypecastIsSentOnlyForFieldsThatAllowIt() throws {
        let harness = try AirtableHarness()
        let strict = harness.provider(rate: 50)
        let (_, skills) = try harness.createCatalog(strict)
        XCTAssertThrowsError(try strict.upsert([["Key": .text("a"), "Status": .text("Archived")]], in: skills, mergeOn: "Key")) { error in
            XCTAssertTrue("\(error)".contains("INVALID_MULTIPLE_CHOICE_OPTIONS"), "\(error)")
        }
        let lenient = harness.provider(rate: 50, typecast: ["Skills": ["Status"]])
        let written = try lenient.upsert([["Key": .text("a"), "Status": .text("Archived")]], in: skills, mergeOn: "Key")
        XCTAssertEqual(written[0].record.fields["Status"], .text("Archived"))
        XCTAssertEqual(harness.emulator.fields(harness.baseID, table: "Skills").first { $0.name == "Status" }?.choices,
                       ["Draft", "Published", "Archived"], "typecast let Airtable add the choice")
    }
}

extension AirtableRecordTests {
    /// Apply's preflight reads the records a plan touches by id, not the whole table again.
    func testReadingByIdCostsOneRequestPerFiftyIds() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (_, skills) = try harness.createCatalog(provider)
        for index in 0..<250 {
            harness.emulator.insertRecord(harness.baseID, table: "Skills", cells: ["Key": .string("k\(index)")])
        }
        let all = try provider.readRecords(in: skills)
        let wanted = [all[3].id, all[100].id, all[249].id]
        harness.emulator.resetLog()
        let read = try provider.readRecords(ids: wanted + ["recMissing000000"], in: skills)
        XCTAssertEqual(Set(read.map(\.id)), Set(wanted), "exactly the records asked for; a missing id is left out")
        XCTAssertEqual(read.first { $0.id == all[100].id }?.fields["Key"], .text("k100"))
        XCTAssertEqual(harness.emulator.requests.map(\.method), ["GET"], "one filtered request instead of three pages")
        let many = try provider.readRecords(ids: all.map(\.id), in: skills)
        XCTAssertEqual(many.count, 250, "a large id set still reads every record once")
    }

    /// Ids come from the state and the plan, which can be edited: one that closes the formula's quote must
    /// read no record but the ones asked for (it was put into the formula unquoted).
    func testAnIdThatBreaksOutOfTheFormulaReadsNothingElse() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (_, skills) = try harness.createCatalog(provider)
        for index in 0..<5 {
            harness.emulator.insertRecord(harness.baseID, table: "Skills", cells: ["Key": .string("k\(index)")])
        }
        let all = try provider.readRecords(in: skills)
        let hostile = "recX',RECORD_ID()='\(all[1].id)"
        let read = try provider.readRecords(ids: [all[0].id, hostile], in: skills)
        XCTAssertEqual(read.map(\.id), [all[0].id], "only the record whose id was asked for")
    }
}
