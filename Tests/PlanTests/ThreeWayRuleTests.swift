import ReconCore
import XCTest
@testable import Plan

/// One test per row of the design's three-way table, and per record rule.
final class ThreeWayRuleTests: XCTestCase {
    private let a = "core:skills/a"

    func testDesiredOnlyIsCreatedWithProtectedValues() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Name": .text("A"), "Status": .text("Draft")])
        let plan = try fixture.plan()
        let change = try XCTUnwrap(plan.change(a))
        XCTAssertEqual(change.action, .create)
        XCTAssertEqual(change.reason, .new)
        XCTAssertEqual(change.writes, ["Key": .text(a), "Name": .text("A"), "Status": .text("Draft")])
        XCTAssertEqual(change.stateValues, ["Name": .text("A")], "protected values are not recorded as managed")
        XCTAssertEqual(plan.summary.add, 1)
        XCTAssertTrue(plan.hasChanges)
    }

    func testSameEverywhereIsNothing() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Name": .text("A"), "Score": .number(2)])
        fixture.applied(a, id: "rec1", ["Name": .text("A"), "Score": .number(2)], remote: ["Name": .text("A"), "Score": .number(2)])
        let plan = try fixture.plan()
        XCTAssertEqual(plan.recordChanges, [])
        XCTAssertFalse(plan.hasChanges)
        XCTAssertEqual(plan.summary.line, "0 to add, 0 to change, 0 to delete, 0 drift, 0 conflicts, 0 manual")
    }

    func testChangedInManifestsIsAnUpdate() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Name": .text("B")])
        fixture.applied(a, id: "rec1", ["Name": .text("A")], remote: ["Name": .text("A")])
        let change = try XCTUnwrap(try fixture.plan().change(a))
        XCTAssertEqual(change.action, .update)
        XCTAssertEqual(change.reason, .changedInManifests)
        XCTAssertEqual(change.fields, [FieldChange(name: "Name", kind: .update, before: .text("A"), after: .text("B"))])
        XCTAssertEqual(change.remoteID, "rec1")
        XCTAssertEqual(change.stateValues, ["Name": .text("B")])
    }

    func testChangedInBaseIsDriftRestoredByDefault() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Name": .text("A")])
        fixture.applied(a, id: "rec1", ["Name": .text("A")], remote: ["Name": .text("edited")])
        let plan = try fixture.plan()
        let change = try XCTUnwrap(plan.change(a))
        XCTAssertEqual(change.reason, .changedInBase)
        XCTAssertEqual(change.field("Name"), FieldChange(name: "Name", kind: .drift, before: .text("edited"), after: .text("A"), recorded: .text("A")))
        XCTAssertEqual(change.writes, ["Name": .text("A")])
        XCTAssertEqual(plan.summary.drift, 1)
        XCTAssertEqual(plan.summary.change, 1)
    }

    func testDriftPolicyReportShowsAndWritesNothing() throws {
        var fixture = try PlanFixture(extra: "policy: {drift: report}")
        fixture.want(a, ["Name": .text("A")])
        fixture.applied(a, id: "rec1", ["Name": .text("A")], remote: ["Name": .text("edited")])
        let plan = try fixture.plan()
        let change = try XCTUnwrap(plan.change(a))
        XCTAssertEqual(change.field("Name")?.kind, .driftReported)
        XCTAssertEqual(change.writes, [:])
        XCTAssertEqual(change.stateValues, ["Name": .text("A")], "the state keeps what was applied, so the drift stays visible")
        XCTAssertEqual(plan.summary.drift, 1)
        XCTAssertFalse(plan.hasChanges)
    }

    func testDriftPolicyAdoptTakesTheBaseValueIntoTheState() throws {
        var fixture = try PlanFixture(extra: "policy: {drift: adopt}")
        fixture.want(a, ["Name": .text("A")])
        fixture.applied(a, id: "rec1", ["Name": .text("A")], remote: ["Name": .text("edited")])
        let change = try XCTUnwrap(try fixture.plan().change(a))
        XCTAssertEqual(change.action, .refreshState)
        XCTAssertEqual(change.field("Name")?.kind, .driftAdopted)
        XCTAssertEqual(change.stateValues, ["Name": .text("edited")])
    }

    func testChangedBothWaysAlikeConvergesWithoutWriting() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Name": .text("B")])
        fixture.applied(a, id: "rec1", ["Name": .text("A")], remote: ["Name": .text("B")])
        let plan = try fixture.plan()
        let change = try XCTUnwrap(plan.change(a))
        XCTAssertEqual(change.action, .refreshState)
        XCTAssertEqual(change.field("Name")?.kind, .converged)
        XCTAssertEqual(change.stateValues, ["Name": .text("B")])
        XCTAssertFalse(plan.hasChanges)
    }

    func testChangedBothWaysDifferentlyIsAConflictTheManifestsWin() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Name": .text("B")])
        fixture.applied(a, id: "rec1", ["Name": .text("A")], remote: ["Name": .text("C")])
        let plan = try fixture.plan()
        let change = try XCTUnwrap(plan.change(a))
        XCTAssertEqual(change.field("Name"), FieldChange(name: "Name", kind: .conflict, before: .text("C"), after: .text("B"), recorded: .text("A")))
        XCTAssertEqual(change.writes, ["Name": .text("B")])
        XCTAssertEqual(plan.summary.conflicts, 1)
    }

    func testConflictPolicyFailStopsThePlan() throws {
        var fixture = try PlanFixture(extra: "policy: {conflict: fail}")
        fixture.want(a, ["Name": .text("B")])
        fixture.applied(a, id: "rec1", ["Name": .text("A")], remote: ["Name": .text("C")])
        XCTAssertThrowsError(try fixture.plan()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("Skills core:skills/a Name: applied \"A\", base \"C\", manifests \"B\""), text)
            XCTAssertTrue(text.contains("policy.conflict: desired"), text)
        }
    }

    func testProtectedFieldsAreNeverOverwrittenAfterCreate() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Name": .text("A"), "Status": .text("Draft"), "Notes": .text("from repo")])
        fixture.applied(a, id: "rec1", ["Name": .text("A")],
                        remote: ["Name": .text("A"), "Status": .text("Published"), "Notes": .text("curated")])
        let plan = try fixture.plan()
        XCTAssertNil(plan.change(a), "no write for protected differences")
        XCTAssertEqual(Set(plan.protectedSkips.map(\.field)), ["Status", "Notes"])
        XCTAssertFalse(plan.hasChanges)
    }

    func testPresentInBaseButNotInStateIsAdoptedNotDuplicated() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Name": .text("A"), "Score": .number(3)])
        fixture.inBase(id: "recX", key: a, ["Name": .text("A"), "Score": .number(1)])
        let plan = try fixture.plan()
        let change = try XCTUnwrap(plan.change(a))
        XCTAssertEqual(change.action, .adopt)
        XCTAssertEqual(change.remoteID, "recX")
        XCTAssertEqual(change.writes, ["Score": .number(3)], "only differing fields are written")
        XCTAssertEqual(plan.summary.add, 0)
        XCTAssertEqual(plan.preconditions.map(\.recordID), ["recX"])
    }

    func testDeletedInBaseIsRecreatedAsDrift() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Name": .text("A")])
        fixture.applied(a, id: "rec1", ["Name": .text("A")], remote: nil)
        let plan = try fixture.plan()
        let change = try XCTUnwrap(plan.change(a))
        XCTAssertEqual(change.action, .recreate)
        XCTAssertEqual(change.reason, .deletedInBase)
        XCTAssertEqual(plan.summary.add, 1)
        XCTAssertEqual(plan.summary.drift, 1)
    }

    func testNoLongerDesiredFollowsOnDelete() throws {
        for (policy, action) in [("delete", RecordAction.delete), ("archive", .archive), ("keep", .forget)] {
            var fixture = try PlanFixture(onDelete: policy)
            fixture.applied(a, id: "rec1", ["Name": .text("A")], remote: ["Name": .text("A")])
            let plan = try fixture.plan()
            let change = try XCTUnwrap(plan.change(a), policy)
            XCTAssertEqual(change.action, action, policy)
            XCTAssertEqual(change.reason, .noLongerDesired)
            switch action {
            case .delete: XCTAssertEqual(plan.summary.delete, 1)
            case .archive:
                XCTAssertEqual(change.writes, ["Ready": .bool(true)])
                XCTAssertEqual(change.stateValues?["Ready"], .bool(true))
            default: XCTAssertFalse(plan.hasChanges, "keep only stops managing the record")
            }
        }
    }

    func testArchivedRecordIsNotArchivedTwice() throws {
        var fixture = try PlanFixture(onDelete: "archive")
        fixture.applied(a, id: "rec1", ["Name": .text("A"), "Ready": .bool(true)], remote: ["Name": .text("A"), "Ready": .bool(true)])
        XCTAssertEqual(try fixture.plan().recordChanges, [])
    }

    func testGoneFromBothIsForgotten() throws {
        var fixture = try PlanFixture()
        fixture.applied(a, id: "rec1", ["Name": .text("A")], remote: nil)
        let change = try XCTUnwrap(try fixture.plan().change(a))
        XCTAssertEqual(change.action, .forget)
        XCTAssertEqual(change.reason, .alreadyDeleted)
    }

    func testUnmanagedRecordsAreCountedAndUntouched() throws {
        var fixture = try PlanFixture()
        fixture.inBase(id: "recHuman", key: "typed by hand", ["Name": .text("H")])
        fixture.inBase(id: "recNoKey", key: nil, ["Name": .text("no key")])
        let plan = try fixture.plan()
        XCTAssertEqual(plan.unmanaged, ["Skills": 2])
        XCTAssertEqual(plan.recordChanges, [])
    }

    func testTwoBaseRecordsWithOneKeyIsAnIntegrityError() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Name": .text("A")])
        fixture.inBase(id: "rec2", key: a, ["Name": .text("A")])
        fixture.inBase(id: "rec1", key: a, ["Name": .text("B")])
        let plan = try fixture.plan()
        XCTAssertNil(plan.change(a))
        XCTAssertEqual(plan.integrityErrors, [IntegrityError(table: "Skills", key: a, recordIDs: ["rec1", "rec2"])])
    }

    func testAbsentEmptyFalseAndNullAreTheSame() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Name": .text(""), "Ready": .bool(false), "Plugin": .list([])])
        fixture.applied(a, id: "rec1", [:], remote: [:])
        XCTAssertEqual(try fixture.plan().recordChanges, [])
    }

    func testNumbersCompareAtTheFieldsPrecision() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Score": .number(1.04)])
        fixture.applied(a, id: "rec1", ["Score": .number(1.0)], remote: ["Score": .number(1.0)])
        XCTAssertEqual(try fixture.plan().recordChanges, [], "1.04 and 1.0 are equal at precision 1")
    }

    func testLinksCompareAsKeysAndMayPointAtRecordsCreatedInThePlan() throws {
        var fixture = try PlanFixture()
        fixture.want("core:plugins/p", ["Name": .text("P")], in: "Plugins")
        fixture.applied("core:plugins/p", id: "recP", ["Name": .text("P")], remote: ["Name": .text("P")], in: "Plugins")
        fixture.want(a, ["Plugin": .list(["core:plugins/p"])])
        fixture.applied(a, id: "rec1", ["Plugin": .list(["core:plugins/p"])], remote: ["Plugin": .list(["recP"])])
        fixture.want("core:plugins/new", ["Name": .text("N")], in: "Plugins")
        fixture.want("core:skills/b", ["Plugin": .list(["core:plugins/new"])])
        let plan = try fixture.plan()
        XCTAssertNil(plan.change(a), "the base's record id reads as the linked entity's key")
        XCTAssertEqual(plan.change("core:skills/b")?.writes["Plugin"], .list(["core:plugins/new"]))
        XCTAssertEqual(plan.change("core:plugins/new")?.action, .create)
    }

    func testScopeLimitsTablesKeysAndRepos() throws {
        var fixture = try PlanFixture()
        fixture.want(a, ["Name": .text("A")])
        fixture.want("core:skills/b", ["Name": .text("B")])
        fixture.want("core:plugins/p", ["Name": .text("P")], in: "Plugins")
        XCTAssertEqual(try fixture.plan(scope: PlanScope(targets: ["Skills/\(a)"], repos: [])).recordChanges.map(\.key), [a])
        XCTAssertEqual(try fixture.plan(scope: PlanScope(targets: ["Plugins"], repos: [])).recordChanges.map(\.key), ["core:plugins/p"])
        XCTAssertEqual(try fixture.plan(scope: PlanScope(targets: [], repos: ["other"])).recordChanges, [])
    }

    func testSamePlanForSameInputs() throws {
        var fixture = try PlanFixture()
        for index in 0..<50 { fixture.want("core:skills/\(index)", ["Name": .text("n\(index)"), "Score": .number(Double(index) / 3)]) }
        fixture.applied("core:skills/gone", id: "recG", ["Name": .text("G")], remote: ["Name": .text("G")])
        let first = PlanFile.encode(try fixture.plan())
        fixture.desired.reverse()
        XCTAssertEqual(PlanFile.encode(try fixture.plan()), first)
    }
}

extension ThreeWayRuleTests {
    /// A regression: an update that only clears a field counted as no change, so `-detailed-exitcode`
    /// said 0 and apply said "No changes".
    func testClearingAFieldIsAChange() throws {
        var fixture = try PlanFixture()
        fixture.want("core:skills/a", ["Name": .text("A")])
        fixture.applied("core:skills/a", id: "rec1", ["Name": .text("A"), "Score": .number(2)],
                        remote: ["Name": .text("A"), "Score": .number(2)])
        let plan = try fixture.plan()
        let change = try XCTUnwrap(plan.change("core:skills/a"))
        XCTAssertEqual(change.clears, ["Score"])
        XCTAssertEqual(plan.summary.change, 1)
        XCTAssertTrue(plan.hasChanges)
        XCTAssertEqual(PlanPresentation(plan).tables.first?.counts, "0 to add, 1 to change, 0 to delete",
                       "the table line and the summary count alike")
    }

    /// An adopt with nothing to write changes only the state, yet counts as adopted, as apply counts it:
    /// the summary and the table line agree.
    func testAdoptWithNothingToWriteIsStateOnlyEverywhere() throws {
        var fixture = try PlanFixture()
        fixture.want("core:skills/a", ["Name": .text("A")])
        fixture.inBase(id: "recX", key: "core:skills/a", ["Name": .text("A")])
        let plan = try fixture.plan()
        XCTAssertEqual(plan.summary.change, 0)
        XCTAssertEqual(plan.summary.adopt, 1)
        XCTAssertFalse(plan.hasChanges, "the base is not written")
        XCTAssertEqual(PlanPresentation(plan).tables.first?.counts, "0 to add, 0 to change, 0 to delete, 1 adopted")
    }
}
