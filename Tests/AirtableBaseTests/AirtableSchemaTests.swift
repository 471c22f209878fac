import AirtableBase
import Foundation
import ReconCore
import Remote
import TestSupport
import XCTest

/// The metadata API over loopback HTTP: create, read back, describe, rename.
final class AirtableSchemaTests: XCTestCase {
    func testCreatedTablesReadBackWithEveryTypeAndLinks() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (plugins, skills) = try harness.createCatalog(provider)
        XCTAssertEqual(harness.emulator.tableNames(harness.baseID), ["Plugins", "Skills"])
        XCTAssertTrue(skills.id.hasPrefix("tbl") && skills.id.count == 17, skills.id)
        XCTAssertEqual(skills.fields.map(\.name), AirtableHarness.skills.fields.map(\.name))
        XCTAssertEqual(skills.fields.map(\.type), AirtableHarness.skills.fields.map { .declarable($0.type) })
        XCTAssertEqual(skills.primaryFieldID, skills.field(named: "Key")?.id)
        XCTAssertEqual(skills.field(named: "Plugin")?.linkedTableID, plugins.id)
        XCTAssertEqual(skills.field(named: "Related")?.linkedTableID, skills.id, "a self-link is added once the table has an id")
        XCTAssertEqual(skills.field(named: "Score")?.precision, 2)
        XCTAssertEqual(skills.field(named: "Status")?.choices, ["Draft", "Published"])
        XCTAssertEqual(skills.field(named: "Key")?.description, "repo:path")
        XCTAssertEqual(skills.description, "Agent skills")
        let schema = try provider.inspectSchema()
        XCTAssertEqual(schema.capabilities.canUpdateFieldChoices, false)
        XCTAssertTrue(schema.capabilities.canCreate(type: .multipleRecordLinks))
    }

    func testFieldsAreAddedDescribedAndRenamed() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        let (_, skills) = try harness.createCatalog(provider)
        let added = try provider.createField(FieldDefinition(name: "Owner", type: .email, description: "who"), in: skills)
        XCTAssertTrue(added.id.hasPrefix("fld"))
        try provider.updateField(added, in: skills, description: "the owner")
        try provider.updateTable(skills, description: "Skills, described")
        var described = added
        described.description = "the owner"
        try provider.updateField(described, in: skills, name: "Maintainer", choices: nil)
        XCTAssertThrowsError(try provider.updateField(described, in: skills, name: nil, choices: ["x"]))
        let table = try XCTUnwrap(try provider.inspectSchema().table(id: skills.id))
        XCTAssertEqual(table.description, "Skills, described")
        XCTAssertEqual(table.field(id: added.id)?.name, "Maintainer")
        XCTAssertEqual(table.field(id: added.id)?.description, "the owner")
    }

    func testTableCreateWhoseAnswerIsLostIsAdoptedNotDuplicated() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        harness.emulator.dropResponses(1, methods: ["POST"])
        let table = try provider.createTable(AirtableHarness.plugins)
        XCTAssertEqual(harness.emulator.tableNames(harness.baseID), ["Plugins"])
        XCTAssertEqual(table.fields.map(\.name), ["Key", "Name"])
        let statuses = harness.emulator.requests.filter { $0.method == "POST" }.map(\.status)
        XCTAssertEqual(statuses, [0, 422], "the lost answer, then the retry meeting the duplicate name")
    }

    /// A type only the UI makes cannot be asked for (`FieldDefinition` takes the manifests' closed set); one
    /// found in the base is reported under its own name.
    func testFieldTypesOnlyTheUIMakesAreReportedAsTheirOwnType() throws {
        let harness = try AirtableHarness()
        let provider = harness.provider(rate: 50)
        _ = try harness.createCatalog(provider)
        harness.emulator.addField(harness.baseID, table: "Skills", name: "Total", type: "formula")
        let table = try XCTUnwrap(try provider.inspectSchema().table(named: "Skills"))
        XCTAssertEqual(table.field(named: "Total")?.type, .other("formula"))
    }
}
