import Apply
import Foundation
import ReconCore
import TestSupport
import XCTest

/// No silent waits: the real `recon` says on stderr, once, what it waits for and for how long, and
/// `apply --json` adds a `wait` event; waits shorter than 2 s pass in silence.
final class WaitNoticeTests: XCTestCase {
    private func heldProject() throws -> (CLIProject, Lease) {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let lease = try Lease.acquire(path: project.path + "/state/.lock", operation: "apply", ttl: 600, heartbeat: false)
        return (project, lease)
    }

    func testALockWaitIsSaidOnceOnStderr() throws {
        let (project, lease) = try heldProject()
        defer { try? lease.release() }
        let result = try project.recon("apply", "--auto-approve", "--lock-timeout", "3s")
        XCTAssertEqual(result.status, 1, result.stderr)
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Waiting") }
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(lines.first?.hasPrefix("Waiting for the lock held by") == true, result.stderr)
        XCTAssertTrue(lines.first?.hasSuffix("(up to 3s)") == true, result.stderr)
    }

    func testApplyJSONAddsAWaitEvent() throws {
        let (project, lease) = try heldProject()
        defer { try? lease.release() }
        let result = try project.recon("apply", "--auto-approve", "--json", "--lock-timeout", "3")
        XCTAssertEqual(result.status, 1, result.stderr)
        let events = result.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        let wait = try XCTUnwrap(events.first { $0["event"]?.stringValue == "wait" }, result.stdout)
        XCTAssertEqual(wait["limit"]?.intValue, 3)
        XCTAssertTrue(wait["reason"]?.stringValue?.hasPrefix("the lock held by") == true, "\(wait)")
        XCTAssertTrue(result.stderr.contains("Waiting for the lock held by"), result.stderr)
    }

    func testAShortLockWaitIsSilent() throws {
        let (project, lease) = try heldProject()
        defer { try? lease.release() }
        let result = try project.recon("apply", "--auto-approve", "--lock-timeout", "1")
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertFalse(result.stderr.contains("Waiting"), result.stderr)
    }
}
