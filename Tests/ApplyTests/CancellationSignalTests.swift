import Apply
import Foundation
import XCTest

/// Cancellation by real signals sent to a child process, and by deadline. Signals raised inside the test
/// process itself were flaky: XCTest's other threads do not block them, so delivery raced.
final class CancellationSignalTests: XCTestCase {
    private func waitUntil(_ timeout: TimeInterval = 5, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition(), Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return condition()
    }

    func testDeadlineCancelsWithTheSameCheck() {
        final class Clock: @unchecked Sendable { var now = Date(timeIntervalSince1970: 0) }
        let clock = Clock()
        let cancellation = CancellationSignal(deadline: Date(timeIntervalSince1970: 60), clock: { clock.now })
        clock.now = Date(timeIntervalSince1970: 59)
        XCTAssertFalse(cancellation.isCancelled)
        clock.now = Date(timeIntervalSince1970: 60)
        XCTAssertTrue(cancellation.isCancelled)
        XCTAssertEqual(cancellation.reason, .deadline)
        XCTAssertEqual(cancellation.reason?.description, "--max-seconds reached")
        let manual = CancellationSignal()
        manual.cancel(.signal(SIGTERM))
        manual.cancel(.deadline)
        XCTAssertEqual(manual.reason, .signal(SIGTERM))
    }

    /// A regression: the budget of `--max-seconds` ran from install, so planning used it up.
    func testABudgetCountsFromStartClockOnly() {
        final class Clock: @unchecked Sendable { var now = Date(timeIntervalSince1970: 0) }
        let clock = Clock()
        let cancellation = CancellationSignal(budget: 10, clock: { clock.now })
        clock.now = Date(timeIntervalSince1970: 100)
        XCTAssertFalse(cancellation.isCancelled, "no clock before the writing starts")
        cancellation.startClock()
        clock.now = Date(timeIntervalSince1970: 109)
        cancellation.startClock()
        XCTAssertFalse(cancellation.isCancelled, "a second start does not move the deadline")
        clock.now = Date(timeIntervalSince1970: 110)
        XCTAssertEqual(cancellation.reason, .deadline)
    }

    func testChildProcessFinishesItsBatchOnSIGTERMAndExits130() throws {
        let probe = try ProbeProcess(["cancel", "0.3"])
        XCTAssertNotNil(probe.waitForLine("ready"))
        probe.signal(SIGTERM)
        let result = probe.finish()
        XCTAssertEqual(result.status, 130)
        XCTAssertEqual(result.lines, ["ready", "cancelled interrupted (SIGTERM)", "batch finished"])
    }

    func testSecondSIGINTForceExitsWithoutWaitingForTheBatch() throws {
        let probe = try ProbeProcess(["cancel", "20"])
        XCTAssertNotNil(probe.waitForLine("ready"))
        probe.signal(SIGINT)
        XCTAssertNotNil(probe.waitForLine("cancelled interrupted (SIGINT)"))
        let started = Date()
        probe.signal(SIGINT)
        let result = probe.finish()
        XCTAssertEqual(result.status, 130)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(result.lines, ["ready", "cancelled interrupted (SIGINT)"], "the batch was not waited for")
    }
}
