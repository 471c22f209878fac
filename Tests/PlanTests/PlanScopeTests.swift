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

    /// `--exclude`: a key or a table left out, winning over a target; kept in the file and named in the note.
    func testExclusionsWinOverTargetsAndRoundTrip() throws {
        var fixture = try PlanFixture()
        fixture.want("core:skills/a", ["Name": .text("A")])
        fixture.want("core:skills/b", ["Name": .text("B")])
        fixture.want("core:plugins/p", ["Name": .text("P")], in: "Plugins")
        let scope = PlanScope(targets: ["Skills"], repos: [], excludes: ["Skills/core:skills/b", "Plugins"])
        let plan = try fixture.plan(scope: scope)
        XCTAssertEqual(plan.recordChanges.map(\.key), ["core:skills/a"])
        XCTAssertEqual(try PlanFile.decode(PlanFile.encode(plan)), plan)
        XCTAssertEqual(scope.excludes, ["Plugins", "Skills/core:skills/b"])
        XCTAssertEqual(PlanPresentation.scopeNote(scope),
                       "Targeted plan: Skills only, excluding Plugins, Skills/core:skills/b; other changes are not shown.")
        let only = try fixture.plan(scope: PlanScope(targets: [], repos: [], excludes: ["Skills"]))
        XCTAssertEqual(only.recordChanges.map(\.key), ["core:plugins/p"])
        XCTAssertEqual(try JSONParser.parse(PlanFile.encode(only))["plan"]?["scope"]?["excludes"]?.arrayValue, [.string("Skills")])
        XCTAssertEqual(PlanPresentation.scopeNote(only.scope), "Targeted plan: excluding Skills; other changes are not shown.")
    }

    /// A target splits at its first '/' byte, also when a combining mark follows it.
    func testATargetSplitsAtTheFirstSlashByte() {
        let scope = PlanScope(targets: ["Skills/\u{338}k"], repos: [], excludes: ["Plugins/\u{338}p"])
        XCTAssertEqual(scope.tables, ["Skills"])
        XCTAssertEqual(scope.keys, ["Skills": ["\u{338}k"]])
        XCTAssertEqual(scope.excludedTables, [])
        XCTAssertEqual(scope.excludedKeys, ["Plugins": ["\u{338}p"]])
    }
}
