import Manifest
import ReconCore
import Remote
import XCTest
@testable import Plan

/// Drift compares the base with the state: a type or choice change made only in the manifests is a plan change.
final class SchemaDriftTests: XCTestCase {
    private let a = "core:skills/a"

    private func fixture(editing edit: (String) -> String) throws -> PlanFixture {
        var fixture = try PlanFixture()
        fixture.manifest = try ManifestLoader().load(sources: [("m.yaml", Array(edit(PlanFixture.schema).utf8))])
        fixture.want(a, ["Name": .text("A")])
        fixture.applied(a, id: "rec1", ["Name": .text("A")], remote: ["Name": .text("A")])
        return fixture
    }

    func testAFieldTypeChangedInTheManifestsIsNotDrift() throws {
        let fixture = try fixture { $0.replacingOccurrences(of: "{name: Name, type: singleLineText}", with: "{name: Name, type: multilineText}") }
        XCTAssertFalse(try fixture.plan().schemaChanges.isEmpty, "the plan shows it (manual items)")
        let report = DriftDetector.detect(manifest: fixture.manifest, state: fixture.state, remote: fixture.remote)
        XCTAssertTrue(report.isEmpty, "\(report.schema)")
    }

    func testChoicesAddedInTheManifestsAreNotDrift() throws {
        var fixture = try fixture { $0.replacingOccurrences(of: "[Draft, Published]", with: "[Draft, Published, Retired]") }
        fixture.remote.schema.capabilities = ProviderCapabilities(canUpdateFieldChoices: false)
        XCTAssertFalse(try fixture.plan().schemaChanges.isEmpty, "the plan shows it")
        let report = DriftDetector.detect(manifest: fixture.manifest, state: fixture.state, remote: fixture.remote)
        XCTAssertTrue(report.isEmpty, "\(report.schema)")
    }
}
