import Apply
import Foundation
import ReconCore
import TestSupport
import XCTest

/// The lease between real processes: concurrent acquirers, killed holders, waiting.
final class LeaseProcessTests: XCTestCase {
    func testConcurrentAcquirersExactlyOneWins() throws {
        let temp = TemporaryDirectory()
        let path = "\(temp.path)/state/.lock"
        for round in 0..<3 {
            let start = String(Date().timeIntervalSince1970 + 1.0)
            let probes = try (0..<6).map { _ in try ProbeProcess(["race", path, start]) }
            let results = probes.map { $0.finish() }
            let winners = results.filter { $0.lines.contains { $0.hasPrefix("acquired ") } }
            XCTAssertEqual(winners.count, 1, "round \(round): \(results.map(\.lines))")
            let winnerPid = probes[results.firstIndex { $0.status == 0 }!].pid
            for result in results where result.status != 0 {
                XCTAssertEqual(result.status, 3)
                XCTAssertTrue(result.lines.contains { $0.hasPrefix("refused: the state is locked: held by") && $0.contains("(pid \(winnerPid) on ") },
                              "\(result.lines)")
            }
            XCTAssertNil(try Lease.current(path: path), "the winner released")
        }
    }

    func testHolderInAnotherProcessBlocksAndIsNamed() throws {
        let temp = TemporaryDirectory()
        let path = "\(temp.path)/state/.lock"
        let probe = try ProbeProcess(["hold", path, "30"])
        let acquired = try XCTUnwrap(probe.waitForLine("acquired "))
        let id = String(acquired.dropFirst("acquired ".count))
        XCTAssertThrowsError(try Lease.acquire(path: path, operation: "apply")) { error in
            let message = (error as! ReconError).message
            XCTAssertTrue(message.contains("(pid \(probe.pid) on \(LeaseInfo.localHost)) for 'probe'"), message)
            XCTAssertTrue(message.contains("lease id \(id)"))
        }
        probe.signal(SIGKILL)
        _ = probe.finish()
    }

    func testLeaseOfAKilledHolderIsBrokenByTheNextAcquirer() throws {
        let temp = TemporaryDirectory()
        let path = "\(temp.path)/state/.lock"
        let probe = try ProbeProcess(["hold", path, "60"])
        XCTAssertNotNil(probe.waitForLine("acquired "))
        probe.signal(SIGKILL)
        XCTAssertEqual(probe.finish().status, SIGKILL)
        XCTAssertEqual(try Lease.current(path: path)?.pid, probe.pid, "a killed holder leaves its lease behind")
        let lease = try Lease.acquire(path: path, operation: "apply", heartbeat: false)
        defer { try? lease.release() }
        XCTAssertEqual(lease.notes.count, 1)
        XCTAssertTrue(lease.notes[0].hasSuffix("its process \(probe.pid) on \(LeaseInfo.localHost) no longer exists"))
    }

    func testWaitingAcquirerGetsTheLeaseWhenTheHolderReleases() throws {
        let temp = TemporaryDirectory()
        let path = "\(temp.path)/state/.lock"
        let holder = try Lease.acquire(path: path, operation: "apply")
        let waiter = try ProbeProcess(["wait", path, "20"])
        Thread.sleep(forTimeInterval: 1)
        XCTAssertTrue(waiter.process.isRunning, "the waiter polls while the lease is held")
        try holder.release()
        let result = waiter.finish()
        XCTAssertEqual(result.status, 0, "\(result.lines)")
        XCTAssertTrue(result.lines.contains { $0.hasPrefix("acquired ") })
    }

    func testWaitingGivesUpAfterTheTimeoutNamingTheHolder() throws {
        let temp = TemporaryDirectory()
        let path = "\(temp.path)/state/.lock"
        let probe = try ProbeProcess(["hold", path, "30"])
        XCTAssertNotNil(probe.waitForLine("acquired "))
        let started = Date()
        XCTAssertThrowsError(try Lease.acquire(path: path, operation: "apply", wait: 1)) { error in
            let message = (error as! ReconError).message
            XCTAssertTrue(message.hasPrefix("the state is still locked after waiting 1 s: held by"), message)
            XCTAssertTrue(message.contains("pid \(probe.pid)"))
        }
        // The full second, however loaded the machine; the upper bound only catches an open-ended wait.
        let waited = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(waited, 1, "gave up early")
        XCTAssertLessThan(waited, 10, "waited far longer than asked")
        probe.signal(SIGKILL)
        _ = probe.finish()
    }
}
