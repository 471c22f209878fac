import Foundation
import Postgres
import PostgresBase
import ReconCore
import Remote
import TestSupport
import XCTest

/// Change tracking (issue 12): writes made outside Recon, by another session, move the mark; Recon's own log
/// nothing; DDL moves it, and a table without its trigger has no mark at all.
final class PostgresChangeTrackingTests: PostgresBaseTestCase {
    private static let notes = TableDefinition(name: "Notes", keyField: "Key", fields: [
        FieldDefinition(name: "Key", type: .singleLineText),
        FieldDefinition(name: "Body", type: .multilineText),
    ])

    /// The log's rows, oldest first: table and operation.
    private func logged() throws -> [[String?]] {
        try connection().exec("SELECT table_name, operation FROM \(PGIdentifier.quote(schema + "_recon")).changes ORDER BY id").rows
    }

    /// `count:max` of the log, from the token `pg1:<serial>:<count>:<max>:<hash>:<nonce>`.
    private func logPart(_ mark: ChangeMark?) throws -> String {
        let parts = try XCTUnwrap(mark).token.split(separator: ":")
        return "\(parts[2]):\(parts[3])"
    }

    private func tracked() throws -> (base: PostgresBase, table: RemoteTable) {
        let base = provider()
        let table = try base.createTable(Self.notes)
        try base.installChangeTracking(tables: [table])
        return (base, table)
    }

    func testReconsOwnWritesLogNothingAndARepeatedMarkIsStable() throws {
        let (base, table) = try tracked()
        let first = try XCTUnwrap(try base.changeMark(tables: [table]))
        let written = try base.upsert([["Key": .text("a"), "Body": .text("x")], ["Key": .text("b")]], in: table, mergeOn: "Key")
        _ = try base.upsert([["Key": .text("a"), "Body": .text("y")]], in: table, mergeOn: "Key")
        _ = try base.update([RecordUpdate(id: written[1].record.id, fields: ["Body": .text("z")])], in: table)
        try base.delete([written[0].record.id], in: table)
        XCTAssertEqual(try logged(), [], "Recon's writes are not logged")
        let after = try XCTUnwrap(try base.changeMark(tables: [table]))
        XCTAssertEqual(try logPart(after), try logPart(first))
        XCTAssertNotEqual(after, first, "the write serial moved, so a dump from before these writes does not match")
        XCTAssertEqual(try base.changeMark(tables: [table]), after, "nothing done, nothing changed")
        XCTAssertTrue(try base.isUnchanged(since: after, tables: [table]))
    }

    func testEveryKindOfOutsiderWriteMovesTheMark() throws {
        let (base, table) = try tracked()
        _ = try base.upsert([["Key": .text("a")]], in: table, mergeOn: "Key")
        let outsider = try connection()
        let notes = qualified("Notes")
        var mark = try XCTUnwrap(try base.changeMark(tables: [table]))
        for statement in [
            "INSERT INTO \(notes) (\"_recon_id\", \"Key\") VALUES ('recOUTSIDER00001', 'b')",
            "UPDATE \(notes) SET \"Body\" = 'hand edit' WHERE \"Key\" = 'a'",
            "DELETE FROM \(notes) WHERE \"Key\" = 'b'",
            "UPDATE \(notes) SET \"Body\" = 'none' WHERE false",
            "TRUNCATE \(notes)",
        ] {
            try outsider.exec(statement)
            XCTAssertFalse(try base.isUnchanged(since: mark, tables: [table]), statement)
            let next = try XCTUnwrap(try base.changeMark(tables: [table]))
            XCTAssertNotEqual(next, mark, statement)
            mark = next
        }
        XCTAssertEqual(try logged(), [["Notes", "INSERT"], ["Notes", "UPDATE"], ["Notes", "DELETE"], ["Notes", "UPDATE"], ["Notes", "TRUNCATE"]])
    }

    /// The trigger's function runs as Recon's role: an application role allowed to write the table, and nothing
    /// in `<schema>_recon`, still writes, and is logged.
    func testARoleWithRightsOnlyOnTheTableWritesAndIsLogged() throws {
        let (base, table) = try tracked()
        let role = "app_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try connection()
        try admin.exec("CREATE ROLE \(role) LOGIN PASSWORD 'app'")
        defer {
            _ = try? admin.exec("DROP OWNED BY \(role)")
            _ = try? admin.exec("DROP ROLE \(role)")
        }
        try admin.exec("GRANT USAGE ON SCHEMA \(PGIdentifier.quote(schema)) TO \(role)")
        try admin.exec("GRANT INSERT ON \(qualified("Notes")) TO \(role)")
        let mark = try XCTUnwrap(try base.changeMark(tables: [table]))
        let app = try PGConnection(try PostgresServer.shared().uri(user: role, password: "app"))
        try app.exec("INSERT INTO \(qualified("Notes")) (\"_recon_id\", \"Key\") VALUES ('recAPPLICATION01', 'c')")
        XCTAssertThrowsError(try app.exec("SELECT count(*) FROM \(PGIdentifier.quote(schema + "_recon")).changes"), "the log stays Recon's")
        XCTAssertFalse(try base.isUnchanged(since: mark, tables: [table]))
        XCTAssertEqual(try logged(), [["Notes", "INSERT"]])
    }

    /// An outsider's write still uncommitted while Recon writes and takes its mark shows once it commits.
    func testAnOutsiderWriteInFlightDuringReconsWritesIsKept() throws {
        let (base, table) = try tracked()
        let outsider = try connection()
        try outsider.exec("BEGIN")
        try outsider.exec("INSERT INTO \(qualified("Notes")) (\"_recon_id\", \"Key\") VALUES ('recOUTSIDER00002', 'o')")
        _ = try base.upsert([["Key": .text("r")]], in: table, mergeOn: "Key")
        let mark = try XCTUnwrap(try base.changeMark(tables: [table]))
        XCTAssertEqual(try logged(), [], "not committed yet")
        try outsider.exec("COMMIT")
        XCTAssertFalse(try base.isUnchanged(since: mark, tables: [table]))
        XCTAssertEqual(try logged(), [["Notes", "INSERT"]], "the outsider's row is kept")
        XCTAssertEqual(try base.readRecords(in: table).count, 2)
    }

    func testSchemaChangesMoveTheMarkAndAMissingTriggerLeavesNone() throws {
        let (base, table) = try tracked()
        let outsider = try connection()
        let notes = qualified("Notes")
        var mark = try XCTUnwrap(try base.changeMark(tables: [table]))
        for statement in [
            "ALTER TABLE \(notes) ADD COLUMN \"Extra\" integer",
            "ALTER TABLE \(notes) RENAME COLUMN \"Extra\" TO \"More\"",
            "ALTER TABLE \(notes) ALTER COLUMN \"More\" TYPE bigint",
            "ALTER TABLE \(notes) DROP COLUMN \"More\"",
            "ALTER TABLE \(notes) RENAME COLUMN \"Body\" TO \"Text\"",
        ] {
            try outsider.exec(statement)
            let next = try XCTUnwrap(try base.changeMark(tables: [table]), statement)
            XCTAssertNotEqual(next, mark, statement)
            XCTAssertFalse(try base.isUnchanged(since: mark, tables: [table]), statement)
            mark = next
        }
        try outsider.exec("ALTER TABLE \(notes) DISABLE TRIGGER \"_recon_changes\"")
        XCTAssertNil(try base.changeMark(tables: [table]), "a disabled trigger sees nothing")
        XCTAssertFalse(try base.isUnchanged(since: mark, tables: [table]))
        try outsider.exec("DROP TRIGGER \"_recon_changes\" ON \(notes)")
        XCTAssertNil(try base.changeMark(tables: [table]), "a dropped trigger sees nothing")
        try base.installChangeTracking(tables: [table])
        XCTAssertNotNil(try base.changeMark(tables: [table]), "installed again")
        let function = "\(PGIdentifier.quote(schema + "_recon")).log_change()"
        try outsider.exec("CREATE OR REPLACE FUNCTION \(function) RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$")
        XCTAssertNil(try base.changeMark(tables: [table]), "a function that no longer logs sees nothing")
        try base.installChangeTracking(tables: [table])
        XCTAssertNotNil(try base.changeMark(tables: [table]), "repaired")
        try outsider.exec("UPDATE \(notes) SET \"Key\" = \"Key\"")
        XCTAssertEqual(try logged().last, ["Notes", "UPDATE"])
        try outsider.exec("ALTER TABLE \(notes) RENAME TO \"Renamed\"")
        XCTAssertNil(try base.changeMark(tables: [table]), "a table not under its name cannot be vouched for")
    }

    func testInstallIsIdempotentAndTablesReconMakesAreTrackedFromTheStart() throws {
        let base = provider()
        let table = try base.createTable(Self.notes)
        let mark = try XCTUnwrap(try base.changeMark(tables: [table]), "a table Recon creates has its trigger")
        let function = try connection().exec("SELECT xmin::text FROM pg_proc WHERE proname = 'log_change' AND pronamespace = $1::regnamespace",
                                             [.text(PGIdentifier.quote(schema + "_recon"))]).rows
        try base.installChangeTracking(tables: [table])
        try base.installChangeTracking(tables: [table])
        let again = try XCTUnwrap(try base.changeMark(tables: [table]))
        XCTAssertEqual(again, mark, "nothing to install, nothing written: not even the write serial moved")
        XCTAssertEqual(try connection().exec("SELECT xmin::text FROM pg_proc WHERE proname = 'log_change' AND pronamespace = $1::regnamespace",
                                             [.text(PGIdentifier.quote(schema + "_recon"))]).rows, function, "the function was not replaced")
        let triggers = try connection().exec("SELECT tgname, tgenabled::text FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal",
                                             [.text(qualified("Notes"))]).rows
        XCTAssertEqual(triggers, [["_recon_changes", "A"]])
    }

    /// A base last written by a version before the nonce has no mark; the next install draws one, nothing else.
    func testABaseWithoutItsNonceHasNoMarkUntilInstalledAgain() throws {
        let (base, table) = try tracked()
        try connection().exec("DELETE FROM \(PGIdentifier.quote(schema + "_recon")).base WHERE key = 'write_nonce'")
        XCTAssertNil(try base.changeMark(tables: [table]))
        try base.installChangeTracking(tables: [table])
        let mark = try XCTUnwrap(try base.changeMark(tables: [table]))
        XCTAssertNotNil(mark.token.range(of: #":[0-9a-f]{32}$"#, options: .regularExpression), mark.token)
        XCTAssertEqual(try logged(), [])
        try base.installChangeTracking(tables: [table])
        XCTAssertEqual(try base.changeMark(tables: [table]), mark, "installed: a second install writes nothing")
    }

    func testAnAdoptedTableIsTrackedAndAnUntrackedOneHasNoMark() throws {
        let outsider = try connection()
        try outsider.exec("CREATE SCHEMA \(PGIdentifier.quote(schema))")
        try outsider.exec("CREATE TABLE \(qualified("Notes")) (\"Key\" text, \"Body\" text)")
        try outsider.exec("INSERT INTO \(qualified("Notes")) VALUES ('a', 'x')")
        let base = provider()
        let foreign = RemoteTable(id: "tblNOTYETADOPTED", name: "Notes", fields: [])
        XCTAssertNil(try base.changeMark(tables: [foreign]), "nothing installed")
        _ = try base.inspectSchema()
        let table = try base.adoptTable(Self.notes)
        let mark = try XCTUnwrap(try base.changeMark(tables: [table]))
        XCTAssertEqual(try logged(), [], "the adoption's own writes are Recon's")
        try outsider.exec("UPDATE \(qualified("Notes")) SET \"Body\" = 'y'")
        XCTAssertFalse(try base.isUnchanged(since: mark, tables: [table]))
    }
}
