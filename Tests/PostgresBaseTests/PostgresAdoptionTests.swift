import Foundation
import Postgres
import PostgresBase
import ReconCore
import Remote
import TestSupport
import XCTest

/// A table another tool made in the base schema: seen as foreign, read by its column types, adopted by key.
final class PostgresAdoptionTests: PostgresBaseTestCase {
    private func makeForeignTable(_ extra: String = "") throws {
        let connection = try connection()
        try connection.exec("CREATE SCHEMA IF NOT EXISTS \(PGIdentifier.quote(schema))")
        try connection.exec("""
            CREATE TABLE \(qualified("Legacy")) (id serial PRIMARY KEY, "Key" varchar(80), "Count" integer, "Done" boolean, "Tags" text[], "Note" text\(extra))
            """)
        try connection.exec("""
            INSERT INTO \(qualified("Legacy")) ("Key", "Count", "Done", "Tags", "Note")
            VALUES ('a', 1, true, '{x,y}', 'first'), ('b', 2, false, NULL, NULL)
            """)
    }

    private let definition = TableDefinition(name: "Legacy", keyField: "Key", fields: [
        FieldDefinition(name: "Key", type: .singleLineText),
        FieldDefinition(name: "Count", type: .number, precision: 0),
        FieldDefinition(name: "Done", type: .checkbox),
        FieldDefinition(name: "Tags", type: .multipleSelects, choices: ["x", "y"]),
    ])

    func testAForeignTableIsReadByItsTypesAndAdoptedByKey() throws {
        try makeForeignTable()
        let base = provider()
        let schema = try base.inspectSchema()
        XCTAssertTrue(schema.tables.isEmpty)
        let foreign = try XCTUnwrap(schema.foreignTable(named: "Legacy"))
        XCTAssertEqual(foreign.columns, ["id", "Key", "Count", "Done", "Tags", "Note"])
        XCTAssertNil(foreign.unadoptable)
        XCTAssertTrue(foreign.holds["Key"]?.contains(.singleLineText) == true)
        XCTAssertEqual(foreign.holds["Done"], [.checkbox])
        XCTAssertEqual(foreign.holds["Tags"], [.multipleSelects])
        XCTAssertTrue(foreign.holds["Count"]?.contains(.number) == true)
        XCTAssertFalse(foreign.holds["Count"]?.contains(.singleLineText) == true)

        let rows = try base.readForeignRecords(foreign)
        XCTAssertEqual(rows.map { $0.fields["Key"] }, [.text("a"), .text("b")])
        XCTAssertEqual(rows.first?.fields["Count"], .number(1))
        XCTAssertEqual(rows.first?.fields["Done"], .bool(true))
        XCTAssertEqual(rows.first?.fields["Tags"], .list(["x", "y"]))
        XCTAssertTrue(rows.allSatisfy { $0.id.hasPrefix("ctid ") })

        let adopted = try base.adoptTable(definition)
        let records = try base.readRecords(in: adopted)
        XCTAssertEqual(records.count, 2)
        XCTAssertTrue(records.allSatisfy { $0.id.hasPrefix("rec") && $0.id.count == 17 })
        XCTAssertEqual(Set(records.compactMap { $0.fields["Key"] }), [.text("a"), .text("b")])
        let upserted = try base.upsert([["Key": .text("a"), "Count": .number(5)], ["Key": .text("c"), "Count": .number(3)]], in: adopted, mergeOn: "Key")
        XCTAssertEqual(upserted.map(\.created), [false, true], "the adopted row is found by its key")
        let note = try connection().exec("SELECT \"Note\", \"Count\" FROM \(qualified("Legacy")) WHERE \"Key\" = 'a'").rows
        XCTAssertEqual(note, [["first", "5"]], "columns the manifests do not declare keep their cells")
        XCTAssertTrue(try base.inspectSchema().foreignTables.isEmpty)
    }

    /// A repeated key refuses the whole adoption: nothing is written, the table stays as it was.
    func testARepeatedKeyRefusesTheAdoptionWithNothingWritten() throws {
        try makeForeignTable()
        try connection().exec("INSERT INTO \(qualified("Legacy")) (\"Key\") VALUES ('a')")
        let base = provider()
        _ = try base.inspectSchema()
        XCTAssertThrowsError(try base.adoptTable(definition))
        XCTAssertEqual(try columnTypes("Legacy").map { $0[0] }, ["id", "Key", "Count", "Done", "Tags", "Note"])
        XCTAssertEqual(try provider().inspectSchema().foreignTable(named: "Legacy")?.columns.count, 6)
    }

    func testATableWithARecordIDColumnAlreadyCannotBeAdopted() throws {
        try makeForeignTable(", _recon_id text")
        let foreign = try XCTUnwrap(try provider().inspectSchema().foreignTable(named: "Legacy"))
        XCTAssertEqual(foreign.unadoptable, "it already has a column '_recon_id'")
    }
}
