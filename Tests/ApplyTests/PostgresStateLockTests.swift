import Foundation
import Postgres
import State
import TestSupport
import XCTest

/// The PostgreSQL state lock between real processes.
final class PostgresStateLockTests: XCTestCase {
    private let target = "sqlite:lock.sqlite"

    private func freshSchema() -> String { "lock_\(UUID().uuidString.prefix(8).lowercased())" }

    func testASecondHolderFailsFastNamingTheFirstAndAKilledHolderReleasesAtOnce() throws {
        let uri = try PostgresServer.shared().uri()
        let schema = freshSchema()
        let first = try ProbeProcess(["pg-lock", uri, schema, target, "300"])
        let acquired = try XCTUnwrap(first.waitForLine("acquired ", timeout: 60))
        let id = String(acquired.dropFirst("acquired ".count))

        let second = try ProbeProcess(["pg-lock", uri, schema, target, "0"])
        let refused = second.finish()
        XCTAssertEqual(refused.status, 3, "\(refused.lines)")
        let message = refused.lines.joined(separator: "\n")
        XCTAssertTrue(message.contains("pid \(first.pid)"), message)
        XCTAssertTrue(message.contains("lease id \(id)"), message)
        XCTAssertTrue(message.contains("'probe'"), message)

        // SIGKILL: no release ran and the lease row is still there, but the advisory lock went with
        // the connection, so the next holder gets in long before the lease's hour-long expiry.
        first.signal(SIGKILL)
        _ = first.finish()
        let third = try ProbeProcess(["pg-lock", uri, schema, target, "0", "30"])
        let taken = third.finish()
        XCTAssertEqual(taken.status, 0, "\(taken.lines)")
        XCTAssertTrue(taken.lines.contains { $0.hasPrefix("acquired ") && $0 != acquired }, "\(taken.lines)")
    }

    func testOtherSchemasAndTargetsNeverBlock() throws {
        let uri = try PostgresServer.shared().uri()
        let schema = freshSchema()
        let holder = try ProbeProcess(["pg-lock", uri, schema, target, "300"])
        XCTAssertNotNil(holder.waitForLine("acquired ", timeout: 60))
        let otherTarget = try PostgresStateLock.acquire(PostgresStateStore(connectionString: uri, schema: schema, target: "airtable:appOTHER"),
                                                        operation: "test")
        let otherSchema = try PostgresStateLock.acquire(PostgresStateStore(connectionString: uri, schema: freshSchema(), target: target),
                                                        operation: "test")
        try otherTarget.release()
        try otherSchema.release()
        XCTAssertThrowsError(try PostgresStateLock.acquire(PostgresStateStore(connectionString: uri, schema: schema, target: target),
                                                           operation: "test"))
        holder.signal(SIGKILL)
        _ = holder.finish()
    }

    func testForceUnlockBreaksTheLeaseAndItsHolderStopsBeforeItsNextWrite() throws {
        let uri = try PostgresServer.shared().uri()
        let store = try PostgresStateStore(connectionString: uri, schema: freshSchema(), target: target)
        let first = try PostgresStateLock.acquire(store, operation: "apply")
        try first.checkHeld()
        XCTAssertThrowsError(try PostgresStateLock.forceUnlock(store, id: "no-such-lease"))
        try PostgresStateLock.forceUnlock(store, id: first.id)
        XCTAssertThrowsError(try first.checkHeld())
        let second = try PostgresStateLock.acquire(store, operation: "apply", wait: 30)
        try second.checkHeld()
        XCTAssertThrowsError(try first.checkHeld(), "still not the holder")
        try second.release()
    }
}
