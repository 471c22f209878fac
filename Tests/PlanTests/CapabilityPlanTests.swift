import Manifest
import ReconCore
import Remote
@testable import Plan
import XCTest

/// What the remote's API cannot do comes out as `manual` items that block only their field.
final class CapabilityPlanTests: XCTestCase {
    func testAFieldTypeTheAPICannotCreateIsManualAndBlocksOnlyItsWrites() throws {
        var fixture = try PlanFixture()
        fixture.remote.schema.capabilities = ProviderCapabilities(
            creatableFieldTypes: Set(FieldType.Name.allCases).subtracting([.checkbox]))
        var tables = fixture.remote.schema.tables
        tables[1].fields.removeAll { $0.name == "Ready" }
        fixture.remote.schema.tables = tables
        fixture.want("core:a", ["Key": .text("core:a"), "Name": .text("A"), "Ready": .bool(true)])
        let plan = try fixture.plan()
        XCTAssertEqual(plan.manualItems.map(\.kind), [.fieldTypeNotCreatable])
        XCTAssertEqual(plan.manualItems.first?.field, "Ready")
        XCTAssertFalse(plan.schemaChanges.contains { if case .createField = $0 { return true } else { return false } })
        XCTAssertEqual(plan.change("core:a")?.blockedBy, "Skills.Ready")
    }

    func testChoicesTheAPICannotAddAreManualUnlessTheFieldTypecasts() throws {
        var fixture = try PlanFixture()
        fixture.remote.schema.capabilities = ProviderCapabilities(canUpdateFieldChoices: false)
        var tables = fixture.remote.schema.tables
        tables[1].fields[5].choices = ["Draft"]
        fixture.remote.schema.tables = tables
        let plan = try fixture.plan()
        XCTAssertEqual(plan.manualItems.map(\.kind), [.fieldOptionsChanged])
        XCTAssertTrue(plan.manualItems[0].instructions.contains("typecast"))
        XCTAssertFalse(plan.schemaChanges.contains { if case .updateField = $0 { return true } else { return false } })

        fixture.remote.schema.capabilities = .unrestricted
        let unrestricted = try fixture.plan()
        XCTAssertTrue(unrestricted.manualItems.isEmpty)
        XCTAssertTrue(unrestricted.schemaChanges.contains { if case .updateField = $0 { return true } else { return false } })
    }
}
