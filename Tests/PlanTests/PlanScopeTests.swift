import ReconCore
import XCTest
@testable import Plan

/// A targeted plan keeps its scope in the file and says so in every view; a whole plan's file has no scope.
final class PlanScopeTests: XCTestCase {
    func testATargetedPlanRoundTripsItsScope() throws {
        var fixture = try PlanFixture()
        fixture.want("core:skills/a", ["Name": .text("A")])
        let scope = PlanScope(targets: ["Skills/core:skills/a", "Plugins"], repos: ["core"])
        let plan = try fixture.plan(scope: scope)
        XCTAssertEqual(plan.scope, scope)
        let decoded = try PlanFile.decode(PlanFile.encode(plan))
        XCTAssertEqual(decoded.scope, scope)
        XCTAssertEqual(decoded, plan)
        XCTAssertEqual(scope.targets, ["Plugins", "Skills/core:skills/a"])
        let note = "Targeted plan: Plugins, Skills/core:skills/a, repo core only; other changes are not shown."
        XCTAssertTrue(PlanTextRenderer(color: false).render(plan).hasPrefix(note + "\n\n"))
        XCTAssertTrue(PlanMarkdownRenderer().render(plan).contains("> ⚠️ " + note))
    }

    func testATargetedPlanWithNoChangesStillSaysItIsTargeted() throws {
        let plan = try PlanFixture().plan(scope: PlanScope(targets: ["Skills"], repos: []))
        XCTAssertEqual(PlanTextRenderer(color: false).render(plan),
                       "Targeted plan: Skills only; other changes are not shown.\n\nNo changes. The base matches the manifests.\n")
    }

    func testAWholePlanHasNoScopeInItsFile() throws {
        let plan = try PlanFixture().plan()
        XCTAssertNil(try JSONParser.parse(PlanFile.encode(plan))["plan"]?["scope"])
        XCTAssertNil(PlanPresentation(plan).scopeNote)
    }
}
