import Foundation
import ReconCore
import TestSupport
import XCTest

/// Saved plans edited by hand, their digest recomputed with the project's own canonical encoder: apply
/// re-derives every change and refuses what the planner would not make now, writing nothing.
final class PlanVerificationTests: XCTestCase {
    private let one = "core:plugins/alpha/skills/one"
    private let two = "core:plugins/alpha/skills/two"

    private func stateID(_ project: CLIProject, table: String, key: String) throws -> String {
        let state = try JSONParser.parse(Array(try XCTUnwrap(project.directory.read("state/recon.state.json")).utf8))
        return try XCTUnwrap(state["records"]?[table]?[key]?["id"]?.stringValue)
    }

    private func assertRefused(_ project: CLIProject, mentioning expected: [String], file: StaticString = #filePath,
                               line: UInt = #line) throws {
        let before = project.sql("SELECT Key, Name FROM Skills ORDER BY Key")
        let stateBefore = project.directory.read("state/recon.state.json")
        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 1, apply.stdout + apply.stderr, file: file, line: line)
        for text in expected {
            XCTAssertTrue(apply.stderr.contains(text), "missing '\(text)' in:\n\(apply.stderr)", file: file, line: line)
        }
        XCTAssertTrue(apply.stderr.contains("Nothing was written"), apply.stderr, file: file, line: line)
        XCTAssertEqual(project.sql("SELECT Key, Name FROM Skills ORDER BY Key"), before, "the base is unchanged", file: file, line: line)
        XCTAssertEqual(project.directory.read("state/recon.state.json"), stateBefore, "the state is unchanged", file: file, line: line)
    }

    func testAnEditedValueIsRefused() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        try SavedPlanFixture.tamper(project) { body in
            let text = body["record_changes"]!.canonicalString().replacingOccurrences(of: "\"One v2\"", with: "\"evil\"")
            body["record_changes"] = try JSONParser.parse(Array(text.utf8))
        }
        try assertRefused(project, mentioning: ["Skills \(one)", "evil"])
    }

    func testARemovedFingerprintIsRefused() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        try SavedPlanFixture.tamper(project) { body in body["preconditions"] = .array([]) }
        try assertRefused(project, mentioning: ["Skills \(one)", "precondition"])
    }

    func testAnInjectedDeleteIsRefused() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let id = try stateID(project, table: "Skills", key: two)
        try SavedPlanFixture.tamper(project) { body in
            var changes = body["record_changes"]!.arrayValue!
            changes.append(.object(["action": .string("delete"), "fields": .array([]), "key": .string(two),
                                    "reason": .string("no_longer_desired"), "remote_id": .string(id), "table": .string("Skills")]))
            body["record_changes"] = .array(changes)
        }
        try assertRefused(project, mentioning: ["Skills \(two)", "delete"])
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["one"], "the genuine update is not applied either")
    }

    func testAChangeForAnUndeclaredTableIsRefused() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        try SavedPlanFixture.tamper(project) { body in
            var changes = body["record_changes"]!.arrayValue!
            changes.append(.object(["action": .string("create"), "key": .string("x"), "reason": .string("new"),
                                    "set": .object(["Key": .string("x"), "Name": .string("y")]), "table": .string("Agents")]))
            body["record_changes"] = .array(changes)
        }
        try assertRefused(project, mentioning: ["Agents", "not declared"])
    }

    func testAnUntouchedSavedPlanStillApplies() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["One v2"])
    }

    func testATargetedSavedPlanStillApplies() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        project.skill("alpha", "two", title: "Two v2")
        project.repo.commit("rename two")
        XCTAssertEqual(try project.recon("plan", "--target", "Skills/\(two)", "-out", "plan.json").status, 0)
        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(project.sql("SELECT Key, Name FROM Skills ORDER BY Key"), ["\(one)|one", "\(two)|Two v2"])
    }

    func testAnEditedRollbackPlanIsRefused() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let earlier = Set(project.directory.list("state/runs"))
        XCTAssertEqual(try project.recon("apply", "plan.json").status, 0)
        // The run this apply made: ids sort by second, then by a random suffix, so not by name.
        let run = try XCTUnwrap(Set(project.directory.list("state/runs")).subtracting(earlier).first)
        let rollback = try project.recon("rollback", run, "-out", "plan.json")
        XCTAssertEqual(rollback.status, 0, rollback.stderr)
        try SavedPlanFixture.tamper(project) { body in
            let text = body["record_changes"]!.canonicalString().replacingOccurrences(of: "\"one\"", with: "\"evil\"")
            body["record_changes"] = try JSONParser.parse(Array(text.utf8))
        }
        try assertRefused(project, mentioning: ["Skills \(one)", "evil"])
    }

    func testARollbackMarkAddedToAPlanIsRefused() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        try SavedPlanFixture.tamper(project) { body in body["rollback_of"] = .string("20260101T000000Z-000000") }
        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 1)
        XCTAssertTrue(apply.stderr.contains("no run '20260101T000000Z-000000'"), apply.stderr)
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["one"])
    }
}
