import ReconCore
import Remote
@testable import SQLiteBase
import TestSupport
import XCTest

/// Table and field names reach SQL text: each must become exactly one identifier with exactly
/// that name, whatever it holds, and nothing else may run.
final class SQLiteNameTests: XCTestCase {
    /// A quote followed by a combining mark is one Swift Character; escaping per Character missed it.
    static let injection = "x\"\u{301}) ; DROP TABLE Victim; --"

    func testTheCombiningMarkInjectionIsOneColumnOnANewBase() throws {
        let scratch = TemporaryDirectory()
        let path = scratch.file("base.sqlite")
        try NameProbe.plantVictim(at: path)
        let base = SQLiteBase(path: path)
        let table = try base.createTable(TableDefinition(name: "Skills", keyField: "Key", fields: [
            FieldDefinition(name: "Key", type: .singleLineText),
            FieldDefinition(name: Self.injection, type: .multilineText),
        ]))
        _ = try base.upsert([["Key": .text("k"), Self.injection: .text("v")]], in: table, mergeOn: "Key")

        let probe = try NameProbe(path: path)
        XCTAssertEqual(try probe.victimRows(), 3, "DROP TABLE Victim must not have run")
        XCTAssertEqual(try probe.userTables(), NameProbe.bytes(["Skills", "Victim"]))
        XCTAssertEqual(try probe.columns(of: "Skills"), NameProbe.bytes(["_recon_id", "Key", Self.injection]))
        XCTAssertEqual(try SQLiteBase(path: path).readRecords(in: table).map(\.fields), [["Key": .text("k"), Self.injection: .text("v")]])
    }

    func testTheCombiningMarkInjectionIsOneTableAndOneAddedColumnOnAnExistingBase() throws {
        let scratch = TemporaryDirectory()
        let path = scratch.file("base.sqlite")
        let base = SQLiteBase(path: path)
        let plugins = try base.createTable(TableDefinition(name: "Plugins", keyField: "Key", fields: [
            FieldDefinition(name: "Key", type: .singleLineText),
        ]))
        try NameProbe.plantVictim(at: path)

        let reopened = SQLiteBase(path: path)
        let current = try XCTUnwrap(try reopened.inspectSchema().table(id: plugins.id))
        let added = try reopened.createField(FieldDefinition(name: Self.injection, type: .singleLineText), in: current)
        let evil = try reopened.createTable(TableDefinition(name: Self.injection, keyField: Self.injection, fields: [
            FieldDefinition(name: Self.injection, type: .singleLineText),
            FieldDefinition(name: "Plugin", type: .multipleRecordLinks, linkedTable: "Plugins"),
        ]))
        let plugin = try reopened.upsert([["Key": .text("p"), Self.injection: .text("1")]], in: current, mergeOn: "Key")[0].record
        _ = try reopened.upsert([[Self.injection: .text("e"), "Plugin": .list([plugin.id])]], in: evil, mergeOn: Self.injection)
        try reopened.updateField(added, in: try XCTUnwrap(try reopened.inspectSchema().table(id: plugins.id)),
                                 name: Self.injection + "\"\u{301}; DROP TABLE Victim; --", choices: nil)

        let probe = try NameProbe(path: path)
        XCTAssertEqual(try probe.victimRows(), 3, "DROP TABLE Victim must not have run")
        XCTAssertEqual(try probe.userTables(), NameProbe.bytes(["Plugins", "Victim", Self.injection]))
        XCTAssertEqual(try probe.columns(of: "Plugins"),
                       NameProbe.bytes(["_recon_id", "Key", Self.injection + "\"\u{301}; DROP TABLE Victim; --"]))
        XCTAssertEqual(try probe.columns(of: Self.injection), NameProbe.bytes(["_recon_id", Self.injection, "Plugin"]))
        let records = try SQLiteBase(path: path).readRecords(in: evil)
        XCTAssertEqual(records.map(\.fields), [[Self.injection: .text("e"), "Plugin": .list([plugin.id])]])
    }

    /// Names SQLite cannot hold are refused with the name's field, before any SQL runs.
    func testANameHoldingNULIsRefusedAndNothingIsWritten() throws {
        let scratch = TemporaryDirectory()
        let path = scratch.file("base.sqlite")
        let base = SQLiteBase(path: path)
        let plugins = try base.createTable(TableDefinition(name: "Plugins", keyField: "Key", fields: [
            FieldDefinition(name: "Key", type: .singleLineText),
        ]))
        XCTAssertThrowsError(try base.createField(FieldDefinition(name: "a\u{0}b", type: .singleLineText), in: plugins)) { error in
            XCTAssertTrue("\(error)".contains("field name 'a\\u{00}b' of table 'Plugins' holds a NUL character"), "\(error)")
        }
        XCTAssertThrowsError(try base.createTable(TableDefinition(name: "T\u{0}", keyField: "Key", fields: [
            FieldDefinition(name: "Key", type: .singleLineText),
        ]))) { error in
            XCTAssertTrue("\(error)".contains("table name 'T\\u{00}' holds a NUL character"), "\(error)")
        }
        let probe = try NameProbe(path: path)
        XCTAssertEqual(try probe.userTables(), NameProbe.bytes(["Plugins"]))
        XCTAssertEqual(try probe.columns(of: "Plugins"), NameProbe.bytes(["_recon_id", "Key"]))
    }

    /// Belt and braces: DDL built from names runs as one statement or not at all.
    func testDDLBuiltFromNamesRefusesASecondStatement() throws {
        let scratch = TemporaryDirectory()
        let path = scratch.file("base.sqlite")
        try NameProbe.plantVictim(at: path)
        let connection = try SQLiteConnection(path: path, create: false, busyTimeoutMilliseconds: 100)
        XCTAssertThrowsError(try connection.executeOne("CREATE TABLE a (x); DROP TABLE Victim")) { error in
            XCTAssertTrue("\(error)".contains("more than one statement"), "\(error)")
        }
        try connection.executeOne("CREATE TABLE b (x) ;\n ")
        let probe = try NameProbe(path: path)
        XCTAssertEqual(try probe.victimRows(), 3)
        XCTAssertEqual(try probe.userTables(), NameProbe.bytes(["Victim", "b"]))
    }

    /// SQLite compares names by bytes, Swift by canonical equivalence: a column renamed elsewhere
    /// from `é` to `e` + U+0301 no longer holds the field, which must show as missing, never be
    /// read through a double-quoted "identifier" that SQLite took for a string literal.
    func testAColumnRenamedToACanonicallyEqualNameShowsAsMissing() throws {
        let scratch = TemporaryDirectory()
        let path = scratch.file("base.sqlite")
        let base = SQLiteBase(path: path)
        let plugins = try base.createTable(TableDefinition(name: "Plugins", keyField: "Key", fields: [
            FieldDefinition(name: "Key", type: .singleLineText),
            FieldDefinition(name: "\u{E9}", type: .singleLineText),
        ]))
        _ = try base.upsert([["Key": .text("p"), "\u{E9}": .text("value")]], in: plugins, mergeOn: "Key")
        let raw = try SQLiteConnection(path: path, create: false, busyTimeoutMilliseconds: 100)
        try raw.execute("ALTER TABLE Plugins RENAME COLUMN \"\u{E9}\" TO \"e\u{301}\"")

        let reopened = SQLiteBase(path: path)
        let table = try XCTUnwrap(try reopened.inspectSchema().table(id: plugins.id))
        XCTAssertEqual(table.fields.map { Array($0.name.utf8) }, NameProbe.bytes(["Key"]), "the field's column is gone")
        XCTAssertEqual(try reopened.readRecords(in: table).map(\.fields), [["Key": .text("p")]])
        XCTAssertThrowsError(try raw.prepare("SELECT \"\u{E9}\" FROM Plugins"), "a missing column is an error, not a string literal")
    }
}
