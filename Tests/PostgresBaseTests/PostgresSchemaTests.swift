import Foundation
import Postgres
import PostgresBase
import ReconCore
import Remote
import TestSupport
import XCTest

/// The PostgreSQL base as psql sees it: real column types, choices the server enforces, Recon's metadata in
/// its own schema, and names the server would cut refused before anything is written.
final class PostgresSchemaTests: PostgresBaseTestCase {
    func testEveryFieldHasARealColumnTypeAndTheMetadataLivesApart() throws {
        let base = provider()
        XCTAssertTrue(try base.inspectSchema().tables.isEmpty)
        let namespaces = try connection().exec("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [.text(schema + "%")])
        XCTAssertTrue(namespaces.rows.isEmpty, "a read creates nothing")

        _ = try base.createTable(Self.every)
        XCTAssertEqual(try columnTypes("Every"), [
            ["_recon_id", "text"], ["Key", "text"], ["Body", "text"], ["Score", "numeric(1000,2)"], ["Ready", "boolean"],
            ["Day", "date"], ["At", "timestamp with time zone"], ["Status", "text"], ["Tags", "text[]"], ["Links", "text[]"],
        ])
        let tables = try connection().exec("SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ($1, $2) ORDER BY 1, 2",
                                           [.text(schema), .text(schema + "_recon")]).rows
        XCTAssertEqual(tables, [[schema, "Every"], [schema + "_recon", "base"], [schema + "_recon", "changes"], [schema + "_recon", "fields"], [schema + "_recon", "tables"]],
                       "the base schema holds only the tables people query")
    }

    /// A hand edit cannot store a value outside a select's choices; adding a choice replaces the constraint.
    func testTheServerEnforcesChoicesAgainstHandEditsToo() throws {
        let base = provider()
        let table = try base.createTable(Self.every)
        let record = try XCTUnwrap(try base.upsert([["Key": .text("k"), "Status": .text("Draft"), "Tags": .list(["a"])]], in: table, mergeOn: "Key").first)
        XCTAssertThrowsError(try connection().exec("UPDATE \(qualified("Every")) SET \"Status\" = $1", [.text("Retired")])) { error in
            XCTAssertEqual((error as? PGError)?.sqlState, "23514", "\(error)")
        }
        XCTAssertThrowsError(try connection().exec("UPDATE \(qualified("Every")) SET \"Tags\" = $1::text[]", [.text("{a,z}")]))
        XCTAssertThrowsError(try base.update([RecordUpdate(id: record.record.id, fields: ["Status": .text("Retired")])], in: table)) { error in
            XCTAssertTrue("\(error)".contains("field 'Status' of table 'Every': a value is not one of its choices (Draft, Published)"), "\(error)")
        }
        let status = try XCTUnwrap(table.field(named: "Status"))
        try base.updateField(status, in: table, name: nil, choices: ["Draft", "Published", "Retired"])
        let updated = try base.update([RecordUpdate(id: record.record.id, fields: ["Status": .text("Retired")])], in: table)
        XCTAssertEqual(updated.first?.fields["Status"], .text("Retired"))
    }

    /// PostgreSQL cuts names past 63 bytes: the provider refuses them (bytes, not characters) with nothing written.
    func testNamesPastSixtyThreeBytesAreRefusedBeforeAnythingIsWritten() throws {
        let base = provider()
        let long = String(repeating: "é", count: 32)
        XCTAssertThrowsError(try base.createTable(TableDefinition(name: long, keyField: "K", fields: [FieldDefinition(name: "K", type: .singleLineText)]))) { error in
            XCTAssertTrue("\(error)".contains("64 bytes long; PostgreSQL names hold at most 63"), "\(error)")
        }
        let fits = String(repeating: "é", count: 31) + "x"
        let table = try base.createTable(TableDefinition(name: fits, keyField: "K", fields: [FieldDefinition(name: "K", type: .singleLineText)]))
        XCTAssertThrowsError(try base.createField(FieldDefinition(name: long, type: .singleLineText), in: table))
        XCTAssertEqual(try base.inspectSchema().tables.map(\.name), [fits])
        XCTAssertEqual(try columnTypes(fits).map { $0[0] }, ["_recon_id", "K"])
    }

    /// A column retyped by hand is reported with the server's type, so the plan makes it a manual item
    /// instead of writing values the column cannot hold; a changed scale reads as the field's precision.
    func testAColumnRetypedByHandIsReportedAsItIs() throws {
        let base = provider()
        _ = try base.createTable(Self.every)
        try connection().exec("ALTER TABLE \(qualified("Every")) ALTER COLUMN \"Ready\" TYPE text")
        try connection().exec("ALTER TABLE \(qualified("Every")) ALTER COLUMN \"Score\" TYPE numeric(1000,3)")
        let table = try XCTUnwrap(try provider().inspectSchema().table(named: "Every"))
        XCTAssertEqual(table.field(named: "Ready")?.type, .other("postgres text"))
        XCTAssertEqual(table.field(named: "Score")?.precision, 3)
        XCTAssertEqual(table.field(named: "Day")?.type, .declarable(.date))
    }

    /// One batch of the provider's limit is one statement per kind of write, and everything lands.
    func testAFullBatchOfCreatesAndUpdatesLands() throws {
        let base = provider()
        let table = try base.createTable(Self.every)
        let limit = PostgresBase.defaultMaxRecordsPerBatch
        let records: [[String: FieldValue]] = (0..<limit).map {
            ["Key": .text("k\($0)"), "Score": .number(Double($0) / 4), "Day": .text("2024-01-02"), "Tags": .list(["a", "b"])]
        }
        let created = try base.upsert(records, in: table, mergeOn: "Key")
        XCTAssertEqual(created.count, records.count)
        XCTAssertTrue(created.allSatisfy(\.created))
        XCTAssertEqual(try connection().exec("SELECT count(*), sum(\"Score\") FROM \(qualified("Every"))").rows, [["\(limit)", String(format: "%.2f", Double(limit * (limit - 1)) / 8)]])
        let again = try base.upsert(records.map { $0.merging(["Ready": .bool(true)]) { _, new in new } }, in: table, mergeOn: "Key")
        XCTAssertEqual(again.map(\.record.id), created.map(\.record.id))
        XCTAssertEqual(try connection().exec("SELECT count(*) FROM \(qualified("Every")) WHERE \"Ready\"").rows, [["\(limit)"]])
    }

    /// Creates go as cells (one shape per record layout) and list cells as `text[]` literals inside the JSON
    /// (issue 12): records of several layouts in one batch, and items the literal must quote, land as sent.
    func testListItemsTheArrayLiteralQuotesAndRecordsOfSeveralLayoutsLandAsSent() throws {
        let hostile = ["a,b", "\"q\"", "back\\slash", "{brace}", "NULL", " spaced ", "名前", "\\\""]
        let definition = TableDefinition(name: "Lists", keyField: "Key", fields: [
            FieldDefinition(name: "Key", type: .singleLineText),
            FieldDefinition(name: "Tags", type: .multipleSelects, choices: hostile),
            FieldDefinition(name: "Score", type: .number, precision: 1),
            FieldDefinition(name: "Links", type: .multipleRecordLinks, linkedTable: "Lists"),
        ])
        let base = provider()
        let table = try base.createTable(definition)
        let first = try base.upsert(cells: [["Key": .text("target")]], in: table, mergeOn: "Key")[0].record.id
        let records: [FieldCells] = [
            ["Key": .text("all"), "Tags": .list(hostile), "Score": .number(1.25), "Links": .list([first])],
            ["Key": .text("none")],
            ["Key": .text("empty"), "Tags": .list([])],
            ["Key": .text("one"), "Tags": .list(["NULL"]), "Links": .list([first])],
            ["Key": .text("score"), "Score": .number(2)],
        ]
        let created = try base.upsert(cells: records, in: table, mergeOn: "Key")
        XCTAssertEqual(created.map { $0.record.fields["Key"] }, records.map { $0["Key"] })
        XCTAssertEqual(created.map { $0.record.fields["Tags"] }, [.list(hostile), nil, nil, .list(["NULL"]), nil])
        XCTAssertEqual(created.map { $0.record.fields["Score"] }, [.number(1.3), nil, nil, nil, .number(2)])
        XCTAssertEqual(created.map { $0.record.fields["Links"] }, [.list([first]), nil, nil, .list([first]), nil])
        let stored = try connection().exec("""
            SELECT "Key", array_to_json("Tags")::text, "Score"::text, array_length("Links", 1)::text FROM \(qualified("Lists")) WHERE "Key" <> 'target' ORDER BY "Key"
            """).rows
        let json = "[" + hostile.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ",") + "]"
        XCTAssertEqual(stored, [["all", json, "1.3", "1"], ["empty", nil, nil, nil], ["none", nil, nil, nil],
                                ["one", "[\"NULL\"]", nil, "1"], ["score", nil, "2.0", nil]])
        let read = Dictionary(uniqueKeysWithValues: try base.readRecords(in: table).map { ($0.id, $0) })
        for upserted in created { XCTAssertEqual(read[upserted.record.id], upserted.record) }
    }

    func testAWrongPasswordIsRefusedWithoutTheSecret() throws {
        let server = try PostgresServer.shared()
        let base = PostgresBase(connectionString: server.uri(password: "hunter2-not-it"), schema: schema)
        XCTAssertThrowsError(try base.inspectSchema()) { error in
            XCTAssertFalse("\(error)".contains("hunter2"), "\(error)")
        }
    }

    /// The server ending the connection mid-run is not "nothing was written": the batch may have landed, so
    /// the error says to plan again, which shows what is left.
    func testALostConnectionSaysToPlanAgainNotThatNothingWasWritten() throws {
        let base = provider()
        let table = try base.createTable(Self.every)
        _ = try base.inspectSchema()
        let admin = try connection()
        let others = "SELECT pid FROM pg_stat_activity WHERE application_name = 'recon' AND pid <> pg_backend_pid() AND datname = current_database()"
        try admin.exec("SELECT pg_terminate_backend(pid) FROM (\(others)) AS o")
        let deadline = Date().addingTimeInterval(20)
        while try !admin.exec(others).rows.isEmpty, Date() < deadline { usleep(20_000) }
        XCTAssertThrowsError(try base.upsert([["Key": .text("k")]], in: table, mergeOn: "Key")) { error in
            XCTAssertTrue("\(error)".contains("the connection to PostgreSQL was lost while writing to table 'Every'"), "\(error)")
            XCTAssertFalse("\(error)".contains("nothing in this batch was written"), "\(error)")
        }
    }

    /// A table and a column renamed in psql keep their ids (the table by its key index, named after its id; the
    /// column by its position), so the plan renames them back instead of reading a delete and a create.
    func testATableAndAColumnRenamedInPsqlAreFoundByID() throws {
        let base = provider()
        let table = try base.createTable(Self.every)
        let record = try XCTUnwrap(try base.upsert([["Key": .text("k"), "Body": .text("kept")]], in: table, mergeOn: "Key").first)
        try connection().exec("ALTER TABLE \(qualified("Every")) RENAME TO \"Renamed by hand\"")
        try connection().exec("ALTER TABLE \(qualified("Renamed by hand")) RENAME COLUMN \"Body\" TO \"Text\"")

        let schema = try provider().inspectSchema()
        XCTAssertTrue(schema.foreignTables.isEmpty, "not a foreign table: Recon still knows it")
        let found = try XCTUnwrap(schema.table(id: table.id))
        XCTAssertEqual(found.name, "Renamed by hand")
        XCTAssertEqual(found.field(id: try XCTUnwrap(table.field(named: "Body")).id)?.name, "Text")
        XCTAssertEqual(try provider().readRecords(in: found).first?.fields["Text"], .text("kept"))

        let again = provider()
        _ = try again.inspectSchema()
        try again.updateTable(found, name: "Every")
        let body = try XCTUnwrap(found.field(named: "Text"))
        try again.updateField(body, in: try XCTUnwrap(try again.inspectSchema().table(id: table.id)), name: "Body", choices: nil)
        let restored = try XCTUnwrap(try provider().inspectSchema().table(id: table.id))
        XCTAssertEqual(restored.name, "Every")
        XCTAssertEqual(restored.field(id: body.id)?.name, "Body")
        XCTAssertEqual(try provider().readRecords(in: restored).map(\.id), [record.record.id])
    }

    /// PostgreSQL text cannot hold NUL (SQLite can): such a value refuses its batch, naming the field, with nothing written.
    func testANulInAValueRefusesTheBatchNamingTheField() throws {
        let base = provider()
        let table = try base.createTable(Self.every)
        let records: [[String: FieldValue]] = [["Key": .text("fine")], ["Key": .text("k"), "Body": .text("a\u{0}b")]]
        XCTAssertThrowsError(try base.upsert(records, in: table, mergeOn: "Key")) { error in
            XCTAssertTrue("\(error)".contains("field 'Body' of table 'Every' holds a NUL character"), "\(error)")
        }
        XCTAssertTrue(try base.readRecords(in: table).isEmpty)
    }

    /// A role without CREATE on the database works in schemas made for it beforehand, as docs/postgres.md says:
    /// Recon creates a schema only when it is missing.
    func testARoleWithoutCreateOnTheDatabaseWorksInSchemasMadeForIt() throws {
        let server = try PostgresServer.shared()
        let role = "pgbase_role_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try connection()
        try admin.exec("CREATE ROLE \(PGIdentifier.quote(role)) LOGIN PASSWORD 'role-password-1'")
        defer { _ = try? admin.exec("DROP OWNED BY \(PGIdentifier.quote(role)) CASCADE"); _ = try? admin.exec("DROP ROLE \(PGIdentifier.quote(role))") }
        for name in [schema, schema + "_recon"] {
            try admin.exec("CREATE SCHEMA \(PGIdentifier.quote(name)) AUTHORIZATION \(PGIdentifier.quote(role))")
        }
        let base = PostgresBase(connectionString: server.uri(user: role, password: "role-password-1"), schema: schema)
        let table = try base.createTable(Self.every)
        XCTAssertEqual(try base.upsert([["Key": .text("k")]], in: table, mergeOn: "Key").count, 1)
        XCTAssertNotNil(try base.changeMark(tables: [table]), "its change tracking is installed too")
    }
}
