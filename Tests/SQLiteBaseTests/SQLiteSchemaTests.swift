import ReconCore
import Remote
@testable import SQLiteBase
import TestSupport
import XCTest

final class SQLiteSchemaTests: XCTestCase {
    func testCreatedSchemaReadsBackWithItsMetadataFromAFreshConnection() throws {
        let scratch = TemporaryDirectory()
        let (base, plugins, skills) = try Fixtures.base(in: scratch)
        let schema = try SQLiteBase(path: base.path).inspectSchema()

        XCTAssertEqual(schema.tables, [plugins, skills])
        let read = schema.table(named: "Agent Skills")!
        XCTAssertEqual(read.description, "Skills found in the catalog repos")
        XCTAssertEqual(read.fields.map(\.name), Fixtures.skills.fields.map(\.name))
        XCTAssertEqual(read.fields.map(\.type), Fixtures.skills.fields.map { .declarable($0.type) })
        XCTAssertEqual(read.field(named: "Key")?.id, read.primaryFieldID)
        XCTAssertEqual(read.field(named: "Key")?.description, "repo:path")
        XCTAssertEqual(read.field(named: "Stars")?.precision, 2)
        XCTAssertEqual(read.field(named: "Status")?.choices, ["Draft", "Reviewed", "Published"])
        XCTAssertEqual(read.field(named: "Plugin")?.linkedTableID, plugins.id)
        XCTAssertTrue(read.id.hasPrefix("tbl") && read.id.count == 17)
        XCTAssertTrue(read.fields.allSatisfy { $0.id.hasPrefix("fld") && $0.id.count == 17 })
    }

    func testSQLTablesAndColumnsAreNamedExactlyAsInTheManifest() throws {
        let scratch = TemporaryDirectory()
        let (base, _, _) = try Fixtures.base(in: scratch)
        let raw = try Fixtures.rawConnection(base.path)

        XCTAssertEqual(try SQLiteCatalog.columns(of: "Agent Skills", in: raw),
                       Set(["_recon_id"] + Fixtures.skills.fields.map(\.name)))
        XCTAssertEqual(try SQLiteCatalog.columns(of: "Plugins", in: raw), ["_recon_id", "Key", "Name"])
    }

    func testDescriptionsUpdateAndFieldsCanBeAdded() throws {
        let scratch = TemporaryDirectory()
        let (base, plugins, _) = try Fixtures.base(in: scratch)
        try base.updateTable(plugins, description: "All plugins")
        try base.updateField(plugins.field(named: "Name")!, in: plugins, description: nil)
        let added = try base.createField(FieldDefinition(name: "Version", type: .singleLineText, description: "semver"), in: plugins)
        let record = try base.upsert([["Key": .text("p"), "Version": .text("1.2.0")]], in: plugins, mergeOn: "Key")[0].record
        let read = try SQLiteBase(path: base.path).inspectSchema().table(named: "Plugins")!

        XCTAssertEqual(read.description, "All plugins")
        XCTAssertNil(read.field(named: "Name")?.description)
        XCTAssertEqual(read.fields.last, added)
        XCTAssertEqual(record.fields["Version"], .text("1.2.0"))
    }

    func testATableMayLinkToItselfAndLinksToMissingTablesAreRefused() throws {
        let scratch = TemporaryDirectory()
        let base = SQLiteBase(path: scratch.file("base.sqlite"))
        let tree = try base.createTable(TableDefinition(name: "Nodes", keyField: "Key", fields: [
            FieldDefinition(name: "Key", type: .singleLineText),
            FieldDefinition(name: "Parent", type: .multipleRecordLinks, linkedTable: "Nodes"),
        ]))

        XCTAssertEqual(tree.field(named: "Parent")?.linkedTableID, tree.id)
        XCTAssertThrowsError(try base.createField(
            FieldDefinition(name: "Owner", type: .multipleRecordLinks, linkedTable: "People"), in: tree)) {
            XCTAssertTrue("\($0)".contains("links to table 'People', which does not exist yet"), "\($0)")
        }
    }

    func testReadingAMissingBaseDoesNotCreateIt() throws {
        let scratch = TemporaryDirectory()
        let path = scratch.file("state/catalog.sqlite")
        let base = SQLiteBase(path: path)

        XCTAssertEqual(try base.inspectSchema(), RemoteSchema(tables: []))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        _ = try base.createTable(Fixtures.plugins)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
    }

    func testTablesAndColumnsDroppedInAnotherToolShowAsMissingAndCanBeRecreated() throws {
        let scratch = TemporaryDirectory()
        let (base, plugins, _) = try Fixtures.base(in: scratch)
        let raw = try Fixtures.rawConnection(base.path)
        try raw.execute("ALTER TABLE \"Plugins\" DROP COLUMN \"Name\"; DROP TABLE \"Agent Skills\"")
        let fresh = SQLiteBase(path: base.path)
        let schema = try fresh.inspectSchema()

        XCTAssertEqual(schema.tables.map(\.name), ["Plugins"])
        XCTAssertEqual(schema.table(named: "Plugins")?.fields.map(\.name), ["Key"])
        let name = try fresh.createField(FieldDefinition(name: "Name", type: .singleLineText), in: plugins)
        let skills = try fresh.createTable(Fixtures.skills)
        XCTAssertNotEqual(name.id, plugins.field(named: "Name")?.id)
        XCTAssertEqual(try fresh.inspectSchema().tables.map(\.name), ["Plugins", "Agent Skills"])
        XCTAssertEqual(skills.fields.count, Fixtures.skills.fields.count)
    }

    func testATableReconDidNotCreateIsNotTakenOver() throws {
        let scratch = TemporaryDirectory()
        let base = SQLiteBase(path: scratch.file("base.sqlite"))
        _ = try base.createTable(Fixtures.plugins)
        try Fixtures.rawConnection(base.path).execute("CREATE TABLE \"Notes\" (x TEXT)")

        XCTAssertEqual(try base.inspectSchema().tables.map(\.name), ["Plugins"])
        XCTAssertThrowsError(try base.createTable(TableDefinition(name: "Notes", keyField: "Key", fields: [
            FieldDefinition(name: "Key", type: .singleLineText),
        ]))) {
            XCTAssertTrue("\($0)".contains("already exists in"), "\($0)")
        }
    }

    func testReservedAndInvalidDefinitionsAreRefused() throws {
        let scratch = TemporaryDirectory()
        let base = SQLiteBase(path: scratch.file("base.sqlite"))
        let key = FieldDefinition(name: "Key", type: .singleLineText)

        XCTAssertThrowsError(try base.createTable(TableDefinition(name: "_recon_tables", keyField: "Key", fields: [key])))
        XCTAssertThrowsError(try base.createTable(TableDefinition(name: "T", keyField: "Key", fields: [
            key, FieldDefinition(name: "_recon_id", type: .singleLineText),
        ]))) { XCTAssertTrue("\($0)".contains("reserved"), "\($0)") }
        XCTAssertThrowsError(try base.createTable(TableDefinition(name: "T", keyField: "Key", fields: [
            key, FieldDefinition(name: "key", type: .number),
        ]))) { XCTAssertTrue("\($0)".contains("twice"), "\($0)") }
        XCTAssertThrowsError(try base.createTable(TableDefinition(name: "T", keyField: "Missing", fields: [key])))
        XCTAssertEqual(try base.inspectSchema().tables, [])
    }
}
