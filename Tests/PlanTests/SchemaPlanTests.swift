import ReconCore
import Remote
import State
import XCTest
@testable import Plan

final class SchemaPlanTests: XCTestCase {
    func testMissingTableIsCreatedWithItsKeyFieldFirst() throws {
        var fixture = try PlanFixture()
        fixture.remote.schema.tables.removeAll { $0.name == "Skills" }
        fixture.state.tables["Skills"] = nil
        fixture.want("core:skills/a", ["Name": .text("A")])
        let plan = try fixture.plan()
        guard case .createTable(let name, let description, let fields) = plan.schemaChanges.first else {
            return XCTFail("expected a create_table, got \(plan.schemaChanges)")
        }
        XCTAssertEqual(name, "Skills")
        XCTAssertEqual(description, "Agent skills")
        XCTAssertEqual(fields.first?.name, "Key")
        XCTAssertEqual(fields.first { $0.name == "Plugin" }?.linkedTable, "Plugins")
        XCTAssertEqual(fields.first { $0.name == "Score" }?.precision, 1)
        XCTAssertEqual(plan.change("core:skills/a")?.action, .create)
    }

    func testMissingFieldAndChangedDescriptions() throws {
        var fixture = try PlanFixture()
        fixture.remote.schema.tables[1].fields.removeAll { $0.name == "Notes" }
        fixture.remote.schema.tables[1].description = "old words"
        let plan = try fixture.plan()
        XCTAssertTrue(plan.schemaChanges.contains(.updateTable(TableUpdate(table: "Skills", tableID: "tblSkills", description: Change("old words", "Agent skills")))))
        XCTAssertTrue(plan.schemaChanges.contains {
            if case .createField("Skills", let field) = $0 { return field.name == "Notes" && field.type == .multilineText }
            return false
        })
        XCTAssertEqual(plan.summary.schema, 2)
        XCTAssertTrue(plan.hasChanges)
    }

    func testTypeChangeIsManualAndBlocksOnlyWritesToThatField() throws {
        var fixture = try PlanFixture()
        let index = fixture.remote.schema.tables[1].fields.firstIndex { $0.name == "Score" }!
        fixture.remote.schema.tables[1].fields[index].type = "singleLineText"
        fixture.want("core:skills/a", ["Name": .text("A2"), "Score": .number(1)])
        fixture.applied("core:skills/a", id: "rec1", ["Name": .text("A"), "Score": .number(1)], remote: ["Name": .text("A"), "Score": .number(1)])
        fixture.want("core:skills/b", ["Score": .number(2)])
        fixture.applied("core:skills/b", id: "rec2", ["Score": .number(1)], remote: ["Score": .number(1)])
        let plan = try fixture.plan()
        XCTAssertEqual(plan.manualItems.map(\.kind), [.fieldTypeChanged])
        XCTAssertEqual(plan.manualItems.first?.message, "field 'Score' of table 'Skills' is singleLineText in the base but number in the manifests")
        XCTAssertNil(plan.change("core:skills/a")?.blockedBy, "a change that does not write Score goes ahead")
        XCTAssertEqual(plan.change("core:skills/b")?.blockedBy, "Skills.Score")
        XCTAssertEqual(plan.summary.manual, 1)
        XCTAssertEqual(plan.summary.blocked, 1)
    }

    func testFieldRenamedInTheBaseIsFollowedByIdAndRenamedBack() throws {
        var fixture = try PlanFixture()
        let index = fixture.remote.schema.tables[1].fields.firstIndex { $0.name == "Name" }!
        fixture.remote.schema.tables[1].fields[index].name = "Title"
        fixture.want("core:skills/a", ["Name": .text("A")])
        fixture.applied("core:skills/a", id: "rec1", ["Name": .text("A")], remote: ["Title": .text("A")])
        let plan = try fixture.plan()
        XCTAssertEqual(plan.schemaChanges, [.updateField(FieldUpdate(table: "Skills", fieldID: "fldN", field: "Name", name: Change("Title", "Name")))])
        XCTAssertNil(plan.change("core:skills/a"), "values are read under the field's current name: no drift")
    }

    func testMissingChoicesAreAdded() throws {
        var fixture = try PlanFixture()
        let index = fixture.remote.schema.tables[1].fields.firstIndex { $0.name == "Status" }!
        fixture.remote.schema.tables[1].fields[index].choices = ["Draft", "Legacy"]
        let plan = try fixture.plan()
        XCTAssertEqual(plan.schemaChanges, [.updateField(FieldUpdate(
            table: "Skills", fieldID: "fldT", field: "Status", choices: Change(["Draft", "Legacy"], ["Draft", "Legacy", "Published"])))])
    }

    func testTableNoLongerDeclaredIsManualAndItsRecordsAreForgotten() throws {
        var fixture = try PlanFixture()
        fixture.remote.schema.tables.append(RemoteTable(id: "tblOld", name: "Old", fields: []))
        fixture.state.tables["Old"] = TableState(id: "tblOld", fields: [:])
        fixture.state.records["Old"] = ["core:old/x": ManagedRecord(id: "recOld", values: [:])]
        let plan = try fixture.plan()
        XCTAssertEqual(plan.manualItems.map(\.kind), [.tableNoLongerDeclared])
        XCTAssertEqual(plan.change("core:old/x")?.action, .forget)
    }
}
