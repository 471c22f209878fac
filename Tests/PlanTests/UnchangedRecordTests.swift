import ReconCore
import Remote
import XCTest
@testable import Plan

/// Records the manifests did not change take a shortcut in the planner (issue 12); whatever the field-by-field rules
/// would still find for them must be found: drift, a moved id, state values to normalize.
final class UnchangedRecordTests: XCTestCase {
    private let p = "core:plugins/p"
    private let s = "core:skills/s"

    func testUnchangedEverywhereIsNothing() throws {
        var fixture = try PlanFixture()
        fixture.want(p, ["Name": .text("P")], in: "Plugins")
        fixture.applied(p, id: "recP", ["Name": .text("P")], remote: ["Name": .text("P")], in: "Plugins")
        XCTAssertEqual(try fixture.plan().recordChanges, [])
    }

    func testBaseEditOfAnUnchangedRecordIsDrift() throws {
        var fixture = try PlanFixture()
        fixture.want(p, ["Name": .text("P")], in: "Plugins")
        fixture.applied(p, id: "recP", ["Name": .text("P")], remote: ["Name": .text("edited")], in: "Plugins")
        let change = try XCTUnwrap(try fixture.plan().change(p))
        XCTAssertEqual(change.field("Name"), FieldChange(name: "Name", kind: .drift, before: .text("edited"), after: .text("P"),
                                                         recorded: .text("P")))
    }

    func testBaseCellClearedOfAnUnchangedRecordIsDrift() throws {
        var fixture = try PlanFixture()
        fixture.want(p, ["Name": .text("P")], in: "Plugins")
        fixture.applied(p, id: "recP", ["Name": .text("P")], remote: [:], in: "Plugins")
        XCTAssertEqual(try fixture.plan().change(p)?.field("Name")?.kind, .drift)
    }

    func testUnchangedLinkToAnotherRecordInTheBaseIsDrift() throws {
        var fixture = try PlanFixture()
        fixture.want("core:plugins/a", ["Name": .text("A")], in: "Plugins")
        fixture.want("core:plugins/b", ["Name": .text("B")], in: "Plugins")
        fixture.applied("core:plugins/a", id: "recA", ["Name": .text("A")], remote: ["Name": .text("A")], in: "Plugins")
        fixture.applied("core:plugins/b", id: "recB", ["Name": .text("B")], remote: ["Name": .text("B")], in: "Plugins")
        let skill: [String: FieldValue] = ["Name": .text("S"), "Plugin": .list(["core:plugins/a"])]
        fixture.want(s, skill)
        fixture.applied(s, id: "recS", skill, remote: ["Name": .text("S"), "Plugin": .list(["recA"])])
        XCTAssertNil(try fixture.plan().change(s), "the link's record id reads as the recorded key")

        fixture.remote.records["Skills"] = [RemoteRecord(id: "recS", fields: ["Key": .text(s), "Name": .text("S"), "Plugin": .list(["recB"])])]
        let change = try XCTUnwrap(try fixture.plan().change(s))
        XCTAssertEqual(change.field("Plugin"), FieldChange(name: "Plugin", kind: .drift, before: .list(["core:plugins/b"]),
                                                           after: .list(["core:plugins/a"]), recorded: .list(["core:plugins/a"])))
    }

    func testRecordFoundUnderAnotherIDMovesTheState() throws {
        var fixture = try PlanFixture()
        fixture.want(p, ["Name": .text("P")], in: "Plugins")
        fixture.applied(p, id: "recOld", ["Name": .text("P")], remote: nil, in: "Plugins")
        fixture.inBase(id: "recNew", key: p, ["Name": .text("P")], in: "Plugins")
        let change = try XCTUnwrap(try fixture.plan().change(p))
        XCTAssertEqual(change.action, .refreshState)
        XCTAssertEqual(change.remoteID, "recNew")
    }

    /// A state value that is "no value" (`ManagedRecord.values` set past its normalizing init) hashes like the desired
    /// record, so the record counts as unchanged; the state is still rewritten without it.
    func testStateValueThatIsNoValueIsNormalizedAway() throws {
        var fixture = try PlanFixture()
        fixture.want(p, ["Name": .text("P")], in: "Plugins")
        fixture.applied(p, id: "recP", ["Name": .text("P")], remote: ["Name": .text("P")], in: "Plugins")
        fixture.state.records["Plugins"]![p]!.values["Gone"] = .text("")
        let change = try XCTUnwrap(try fixture.plan().change(p))
        XCTAssertEqual(change.action, .refreshState)
        XCTAssertEqual(change.stateValues, ["Name": .text("P")])
    }

    func testStateValueOfAnUndeclaredFieldIsKept() throws {
        var fixture = try PlanFixture()
        fixture.want(p, ["Name": .text("P")], in: "Plugins")
        fixture.applied(p, id: "recP", ["Name": .text("P"), "Old": .text("x")], remote: ["Name": .text("P")], in: "Plugins")
        XCTAssertNil(try fixture.plan().change(p))
    }

    func testBaseNumberWithinThePrecisionIsTheSame() throws {
        var fixture = try PlanFixture()
        let skill: [String: FieldValue] = ["Name": .text("S"), "Score": .number(2.5)]
        fixture.want(s, skill)
        fixture.applied(s, id: "recS", skill, remote: ["Name": .text("S"), "Score": .number(2.54)])
        XCTAssertNil(try fixture.plan().change(s))
        fixture.remote.records["Skills"] = [RemoteRecord(id: "recS", fields: ["Key": .text(s), "Name": .text("S"), "Score": .number(2.6)])]
        XCTAssertEqual(try fixture.plan().change(s)?.field("Score")?.kind, .drift)
    }
}
