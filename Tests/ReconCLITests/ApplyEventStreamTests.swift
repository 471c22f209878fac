import Foundation
import ReconCore
import TestSupport
import XCTest

/// `apply --json`: a versioned stream, every event stamped, and a failing run ends with an `error` event.
final class ApplyEventStreamTests: XCTestCase {
    /// A regression: the stream of a refused (stale) plan just stopped, and no event carried a time.
    func testAFailingApplyEndsWithAnErrorEvent() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        XCTAssertEqual(try project.recon("apply", "plan.json").status, 0)
        let stale = try project.recon("apply", "plan.json", "--json")
        XCTAssertEqual(stale.status, 1, stale.stdout)
        let events = try Self.events(stale.stdout)
        Self.assertStamped(events)
        XCTAssertEqual(events.first?["event"]?.stringValue, "start")
        XCTAssertEqual(events.first?["stream_version"]?.intValue, 1)
        let last = try XCTUnwrap(events.last)
        XCTAssertEqual(last["event"]?.stringValue, "error")
        XCTAssertEqual(last["exit_code"]?.intValue, 1)
        XCTAssertEqual(last["code"]?.stringValue, "stale_plan")
        XCTAssertTrue(last["message"]?.stringValue?.contains("the plan is stale") == true, "\(last)")
    }

    /// An error before any work (a plan file that cannot be read) is an event too.
    func testAnUnreadablePlanFileEndsWithAnErrorEvent() throws {
        let project = CLIProject()
        let missing = try project.recon("apply", "no-such-plan.json", "--json")
        XCTAssertEqual(missing.status, 1)
        let events = try Self.events(missing.stdout)
        Self.assertStamped(events)
        XCTAssertEqual(events.map { $0["event"]?.stringValue }, ["start", "error"])
        XCTAssertTrue(events.last?["message"]?.stringValue?.contains("no-such-plan.json") == true, missing.stdout)
    }

    func testASuccessfulApplyIsStampedFromStartToDone() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let apply = try project.recon("apply", "--auto-approve", "--json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let events = try Self.events(apply.stdout)
        Self.assertStamped(events)
        XCTAssertEqual(events.first?["event"]?.stringValue, "start")
        XCTAssertEqual(events.last?["event"]?.stringValue, "done")
        XCTAssertEqual(events.last?["exit_code"]?.intValue, 0)
        XCTAssertTrue(events.contains { $0["event"]?.stringValue == "record" })
    }

    private static func events(_ stdout: String) throws -> [JSONValue] {
        try stdout.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
    }

    /// `2026-12-01T13:08:16.123Z`: UTC, ISO 8601, milliseconds.
    private static func assertStamped(_ events: [JSONValue], line: UInt = #line) {
        XCTAssertFalse(events.isEmpty, line: line)
        let pattern = try! NSRegularExpression(pattern: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#)
        for event in events {
            let time = event["time"]?.stringValue ?? ""
            XCTAssertEqual(pattern.numberOfMatches(in: time, range: NSRange(time.startIndex..., in: time)), 1, "\(event)", line: line)
        }
    }
}
