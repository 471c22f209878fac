import Apply
import Foundation
import ReconCore
import TestSupport
import XCTest

/// The lease in one process: real files, real pids, real clocks.
final class LeaseTests: XCTestCase {
    private func lockPath(_ temp: TemporaryDirectory) -> String { "\(temp.path)/state/.lock" }

    private func writeLease(_ path: String, host: String = LeaseInfo.localHost, pid: Int32, expires: Date,
                            id: String = "stale-lease") throws {
        let info = LeaseInfo(id: id, owner: "bob@\(host)", pid: pid, host: host, operation: "apply",
                             created: Date().addingTimeInterval(-3600), expires: expires)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(info.encoded()).write(to: URL(fileURLWithPath: path))
    }

    /// A pid that certainly existed and certainly is gone now.
    private func deadPid() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exit 0"]
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    func testAcquireWritesTheLeaseAndReleaseRemovesIt() throws {
        let temp = TemporaryDirectory()
        let path = lockPath(temp)
        let lease = try Lease.acquire(path: path, operation: "apply", ttl: 30)
        let onDisk = try XCTUnwrap(Lease.current(path: path))
        XCTAssertEqual(onDisk, lease.info)
        XCTAssertEqual(onDisk.pid, getpid())
        XCTAssertEqual(onDisk.host, LeaseInfo.localHost)
        XCTAssertEqual(onDisk.owner, "\(LeaseInfo.localUser)@\(LeaseInfo.localHost)")
        XCTAssertEqual(onDisk.operation, "apply")
        XCTAssertEqual(onDisk.expires.timeIntervalSince(onDisk.created), 30, accuracy: 0.01)
        XCTAssertNotNil(UUID(uuidString: onDisk.id))
        let json = try JSONParser.parse(Array(try XCTUnwrap(temp.read("state/.lock")).utf8))
        XCTAssertEqual(json["operation"], "apply")
        XCTAssertEqual(json["pid"]?.intValue, Int(getpid()))
        XCTAssertTrue(lease.notes.isEmpty)
        try lease.release()
        XCTAssertNil(try Lease.current(path: path))
        try lease.release()
        XCTAssertFalse(temp.exists("state/.lock"))
    }

    func testSecondAcquirerFailsFastNamingTheHolder() throws {
        let temp = TemporaryDirectory()
        let path = lockPath(temp)
        let holder = try Lease.acquire(path: path, operation: "apply")
        defer { try? holder.release() }
        let started = Date()
        XCTAssertThrowsError(try Lease.acquire(path: path, operation: "rollback")) { error in
            let error = error as! ReconError
            XCTAssertTrue(error.message.hasPrefix("the state is locked: held by \(holder.info.owner) (pid \(getpid()) on "
                + "\(LeaseInfo.localHost)) for 'apply' since "), error.message)
            XCTAssertTrue(error.message.contains("lease id \(holder.id)"))
            XCTAssertTrue(error.message.contains("expires \(UTCTimestamp.string(holder.info.expires))"))
            XCTAssertTrue(error.hint!.hasSuffix("recon force-unlock \(holder.id)"), error.hint!)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
        XCTAssertEqual(try Lease.current(path: path)?.id, holder.id)
    }

    func testExpiredLeaseIsBrokenWithANote() throws {
        let temp = TemporaryDirectory()
        let path = lockPath(temp)
        try writeLease(path, host: "elsewhere", pid: 1, expires: Date().addingTimeInterval(-5))
        let lease = try Lease.acquire(path: path, operation: "apply", heartbeat: false)
        defer { try? lease.release() }
        XCTAssertEqual(lease.notes.count, 1)
        XCTAssertTrue(lease.notes[0].hasPrefix("broke the lease of bob@elsewhere (pid 1 on elsewhere)"), lease.notes[0])
        XCTAssertTrue(lease.notes[0].contains("lease id stale-lease"))
        XCTAssertTrue(lease.notes[0].contains(": it expired at "))
        XCTAssertEqual(try Lease.current(path: path)?.id, lease.id)
    }

    func testLeaseOfADeadLocalProcessIsBroken() throws {
        let temp = TemporaryDirectory()
        let path = lockPath(temp)
        let pid = try deadPid()
        try writeLease(path, pid: pid, expires: Date().addingTimeInterval(3600))
        let lease = try Lease.acquire(path: path, operation: "apply", heartbeat: false)
        defer { try? lease.release() }
        XCTAssertEqual(lease.notes.count, 1)
        XCTAssertTrue(lease.notes[0].hasSuffix("its process \(pid) on \(LeaseInfo.localHost) no longer exists"), lease.notes[0])
    }

    func testLiveLeaseFromAnotherHostIsNotBroken() throws {
        let temp = TemporaryDirectory()
        let path = lockPath(temp)
        // The pid does not exist here, but it names another host: only its expiry can free it.
        try writeLease(path, host: "build-agent-7", pid: try deadPid(), expires: Date().addingTimeInterval(3600))
        XCTAssertThrowsError(try Lease.acquire(path: path, operation: "apply")) { error in
            XCTAssertTrue((error as! ReconError).message.contains("on build-agent-7"))
        }
        XCTAssertEqual(try Lease.current(path: path)?.id, "stale-lease")
    }

    func testCorruptLeaseIsRefusedAndLeftAlone() throws {
        let temp = TemporaryDirectory()
        temp.write("state/.lock", "not json")
        XCTAssertThrowsError(try Lease.acquire(path: lockPath(temp), operation: "apply")) { error in
            let error = error as! ReconError
            XCTAssertTrue(error.message.contains("is not a valid lease"), error.message)
            XCTAssertTrue(error.hint!.contains("remove \(self.lockPath(temp)) by hand"))
        }
        XCTAssertEqual(temp.read("state/.lock"), "not json")
    }

    func testForceUnlockNeedsTheRightID() throws {
        let temp = TemporaryDirectory()
        let path = lockPath(temp)
        try writeLease(path, host: "build-agent-7", pid: 42, expires: Date().addingTimeInterval(3600), id: "abc-123")
        XCTAssertThrowsError(try Lease.forceUnlock(path: path, id: "abc-999")) { error in
            let error = error as! ReconError
            XCTAssertTrue(error.message.hasPrefix("lease id 'abc-999' does not match the lock: it is held by bob@build-agent-7"))
            XCTAssertTrue(error.message.contains("lease id abc-123"))
            XCTAssertEqual(error.hint, "to remove that lease, pass its id: recon force-unlock abc-123")
        }
        XCTAssertEqual(try Lease.current(path: path)?.id, "abc-123")
        let removed = try Lease.forceUnlock(path: path, id: "abc-123")
        XCTAssertEqual(removed.host, "build-agent-7")
        XCTAssertNil(try Lease.current(path: path))
        XCTAssertThrowsError(try Lease.forceUnlock(path: path, id: "abc-123")) { error in
            XCTAssertTrue((error as! ReconError).message.hasPrefix("the state is not locked"))
        }
    }

    func testHeartbeatRenewsTheLeaseBeyondItsTTL() throws {
        let temp = TemporaryDirectory()
        let path = lockPath(temp)
        // Renewed every second: the lease outlives its TTL even if the heartbeat thread is held up 2 s.
        let lease = try Lease.acquire(path: path, operation: "apply", ttl: 3)
        defer { try? lease.release() }
        let firstExpiry = try XCTUnwrap(Lease.current(path: path)).expires
        Thread.sleep(forTimeInterval: 4)
        let renewed = try XCTUnwrap(Lease.current(path: path))
        XCTAssertEqual(renewed.id, lease.id)
        XCTAssertGreaterThan(renewed.expires, firstExpiry.addingTimeInterval(0.5))
        XCTAssertGreaterThan(renewed.expires, Date())
        XCTAssertThrowsError(try Lease.acquire(path: path, operation: "apply"))
    }

    func testWithoutHeartbeatTheLeaseExpiresAndIsTakenOver() throws {
        let temp = TemporaryDirectory()
        let path = lockPath(temp)
        let first = try Lease.acquire(path: path, operation: "apply", ttl: 0.3, heartbeat: false)
        Thread.sleep(forTimeInterval: 0.5)
        let second = try Lease.acquire(path: path, operation: "apply", heartbeat: false)
        defer { try? second.release() }
        XCTAssertTrue(second.notes[0].contains("lease id \(first.id)"))
        // The first holder finds out at its next renewal and does not clobber the new lease.
        XCTAssertThrowsError(try first.renew())
        XCTAssertTrue(first.lostReason!.hasPrefix("the lock is now held by"), first.lostReason!)
        XCTAssertEqual(try Lease.current(path: path)?.id, second.id)
        try first.release()
        XCTAssertEqual(try Lease.current(path: path)?.id, second.id)
    }

    func testForceUnlockedHolderLearnsAtItsNextHeartbeat() throws {
        let temp = TemporaryDirectory()
        let path = lockPath(temp)
        let lease = try Lease.acquire(path: path, operation: "apply", ttl: 0.3)
        try Lease.forceUnlock(path: path, id: lease.id)
        // The next beat is due in 0.1 s; wait for it, not for a fixed time a loaded machine may not keep.
        let deadline = Date().addingTimeInterval(20)
        while lease.lostReason == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(lease.lostReason, "the lease file \(path) was removed (force-unlock?)")
        XCTAssertNil(try Lease.current(path: path), "a lost lease is never written back")
        try lease.release()
    }

    func testADroppedLeaseStopsRenewingAndExpires() throws {
        let temp = TemporaryDirectory()
        let path = lockPath(temp)
        var dropped: Lease? = try Lease.acquire(path: path, operation: "apply", ttl: 0.3)
        let id = try XCTUnwrap(dropped?.id)
        dropped = nil
        Thread.sleep(forTimeInterval: 0.6)
        // Until it has expired by its own date (a beat held up by load may have pushed it a little).
        let deadline = Date().addingTimeInterval(20)
        while let current = try Lease.current(path: path), current.expires >= Date(), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertEqual(try Lease.current(path: path)?.id, id, "not removed: the run may have ended badly")
        let next = try Lease.acquire(path: path, operation: "apply", heartbeat: false)
        defer { try? next.release() }
        XCTAssertTrue(next.notes[0].contains("lease id \(id)"))
        XCTAssertTrue(next.notes[0].contains("it expired at"))
    }
}
