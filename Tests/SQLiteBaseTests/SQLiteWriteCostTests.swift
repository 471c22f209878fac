import ReconCore
import Remote
@testable import SQLiteBase
import TestSupport
import XCTest

/// What a batch costs in statements run, counted by SQLite itself: per row only the write, no lookup,
/// link check or read-back per row (five statements a batch: three catalog reads, one key lookup, one link check).
final class SQLiteWriteCostTests: XCTestCase {
    func testABatchOfCreatesRunsOneInsertPerRowAndNothingElsePerRow() throws {
        let scratch = TemporaryDirectory()
        let (base, plugins, skills) = try Fixtures.base(in: scratch)
        let plugin = try base.upsert([["Key": .text("p")]], in: plugins, mergeOn: "Key")[0].record.id
        let before = base.statementRuns()
        let batch = (0..<200).map { Fixtures.fullSkill(key: "core:s\($0)", plugin: plugin) }
        let created = try base.upsert(batch, in: skills, mergeOn: "Key")
        let runs = base.statementRuns().merging(before) { $0 - $1 }.filter { $0.value > 0 }

        XCTAssertTrue(created.allSatisfy(\.created))
        XCTAssertEqual(runs.filter { $0.key.hasPrefix("INSERT") }.values.reduce(0, +), 200, "\(runs)")
        XCTAssertFalse(runs.keys.contains { $0.contains("RETURNING") }, "a create reads its row back: \(runs.keys)")
        XCTAssertLessThanOrEqual(runs.filter { !$0.key.hasPrefix("INSERT") }.values.reduce(0, +), 5, "per-row statements: \(runs)")
    }

    func testWhatAnUpsertReturnsIsWhatAReadFinds() throws {
        let scratch = TemporaryDirectory()
        let (base, plugins, skills) = try Fixtures.base(in: scratch)
        let plugin = try base.upsert([["Key": .text("p")]], in: plugins, mergeOn: "Key")[0].record.id
        var batch = (0..<20).map { Fixtures.fullSkill(key: "core:s\($0)", plugin: plugin) }
        batch[3]["Reviewed"] = .bool(false)
        batch[4]["Stars"] = .number(7)
        batch[5]["Tags"] = .list([])
        batch[6] = ["Key": .text("core:s6"), "Name": .text("")]
        let created = try base.upsert(batch, in: skills, mergeOn: "Key")
        XCTAssertEqual(created.map(\.record), try base.readRecords(in: skills))

        let edits: [[String: FieldValue]] = [["Key": .text("core:s1"), "Name": .text("renamed"), "Stars": .number(0.5)],
                                             ["Key": .text("core:s2"), "Tags": .list(["web"]), "Reviewed": .bool(false)]]
        let updated = try base.upsert(edits, in: skills, mergeOn: "Key")
        let read = try base.readRecords(in: skills)
        XCTAssertEqual(updated.map(\.record), [read[1], read[2]])
        XCTAssertEqual(updated.map(\.previous), [created[1].record, created[2].record])
        XCTAssertFalse(updated.contains(where: \.created))
    }

    func testARepeatedKeyInOneBatchUpdatesTheRecordItJustCreated() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        let results = try base.upsert([["Key": .text("k"), "Name": .text("one")], ["Key": .text("k"), "Stars": .number(2)]],
                                      in: skills, mergeOn: "Key")

        XCTAssertEqual(results.map(\.created), [true, false])
        XCTAssertEqual(results[1].record.id, results[0].record.id)
        XCTAssertEqual(results[1].previous, results[0].record)
        XCTAssertEqual(try base.readRecords(in: skills), [results[1].record])
        XCTAssertEqual(results[1].record.fields, ["Key": .text("k"), "Name": .text("one"), "Stars": .number(2)])
    }

    /// A column default (added in another tool) fills cells Recon did not write: those rows are read back.
    func testCellsFilledByAColumnDefaultAreInWhatAnUpsertReturns() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        let raw = try Fixtures.rawConnection(base.path)
        try raw.execute("ALTER TABLE \"Agent Skills\" ADD COLUMN \"Extra\" TEXT DEFAULT 'filled'")
        let created = try base.upsert([["Key": .text("a"), "Name": .text("A")]], in: skills, mergeOn: "Key")
        XCTAssertEqual(created[0].record.fields["Extra"], .text("filled"))
        XCTAssertEqual(created.map(\.record), try base.readRecords(in: skills))
    }
}

/// Creates are bound slot to slot from each record's layout, resolved once per layout (issue 12): a batch whose records
/// interleave many layouts (more than the writer keeps resolved) stores and returns what each record holds.
final class SQLiteCellsInsertTests: XCTestCase {
    func testABatchOfManyInterleavedLayoutsStoresEachRecordAsGiven() throws {
        let scratch = TemporaryDirectory()
        let (base, plugins, skills) = try Fixtures.base(in: scratch)
        let plugin = try base.upsert([["Key": .text("p")]], in: plugins, mergeOn: "Key")[0].record.id
        let full = Fixtures.fullSkill(key: "", plugin: plugin)
        let optional = full.keys.filter { $0 != "Key" }.sorted()
        // Record i leaves out the fields whose bit is set in i: up to 2^n layouts, interleaved.
        let batch: [FieldCells] = (0..<300).map { index in
            var record = full
            record["Key"] = .text("core:s\(index)")
            for (bit, name) in optional.enumerated() where (index * 7919) & (1 << (bit % 20)) != 0 { record[name] = nil }
            return FieldCells(record)
        }
        XCTAssertGreaterThan(Set(batch.map { ObjectIdentifier($0.layout) }).count, 64)
        let created = try base.upsert(cells: batch, in: skills, mergeOn: "Key")
        XCTAssertTrue(created.allSatisfy(\.created))
        XCTAssertEqual(created.map(\.record.fields), batch.map { FieldValue.normalize($0) })
        XCTAssertEqual(created.map(\.record), try base.readRecords(in: skills))
    }

    func testAFieldWithoutAColumnIsRefusedByNameAndNothingIsWritten() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        let batch: [FieldCells] = [["Key": .text("a"), "Name": .text("A")], ["Key": .text("b"), "Zebra": .text("z"), "Nope": .text("n")]]
        XCTAssertThrowsError(try base.upsert(cells: batch, in: skills, mergeOn: "Key")) { error in
            XCTAssertTrue("\(error)".contains("has no field named 'Nope'"), "\(error)")
        }
        XCTAssertEqual(try base.readRecords(in: skills), [])
    }
}
