import Apply
import Foundation
import TestSupport
import XCTest

/// SIGTERM, as `kill` and CI runners send it, ends a run waiting for the lock, like Ctrl-C does.
final class LockWaitSignalTests: XCTestCase {
    /// A regression check for the review finding: `apply --lock-timeout 40s` stayed alive the full wait
    /// after SIGTERM, then exited 1. The wait here is ten minutes: ignoring the signal fails with status 1.
    func testSIGTERMEndsALockWaitWithStatus130() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let run = try LockWaitingApply(project, lockTimeout: "10m")
        let text = try run.interrupt(with: SIGTERM)
        let process = run.process
        XCTAssertEqual(process.terminationStatus, 130, text)
        XCTAssertTrue(text.contains("SIGTERM"), text)
        XCTAssertFalse(project.directory.exists("state/recon.state.json"), "no state was written")
        XCTAssertEqual(project.sql("SELECT name FROM sqlite_master WHERE name = 'Skills'"), [], "nothing was written")
    }
}
