import Foundation
import Postgres
import State
import TestSupport
import XCTest

/// kill -9 of a real process appending batches to the PostgreSQL state loses at most the batch in
/// flight: what is left is exactly the committed batches, each whole, and the next run builds on it.
final class PostgresStateKillTests: XCTestCase {
    func testAKilledWriterLosesAtMostTheBatchInFlight() throws {
        let uri = try PostgresServer.shared().uri()
        let schema = "kill_\(UUID().uuidString.prefix(8).lowercased())"
        let target = "sqlite:kill.sqlite"
        let size = 200
        let probe = try ProbeProcess(["pg-state", uri, schema, target, String(size)])
        XCTAssertNotNil(probe.waitForLine("batch 5", timeout: 60), "the probe committed batches")
        probe.signal(SIGKILL)
        let finished = probe.finish()
        XCTAssertEqual(finished.status, SIGKILL)
        let said = finished.lines.compactMap { $0.hasPrefix("batch ") ? Int($0.dropFirst(6)) : nil }.max() ?? 0

        let store = try PostgresStateStore(connectionString: uri, schema: schema, target: target)
        let state = try XCTUnwrap(try store.load(expectedTarget: target))
        let committed = state.serial - 1  // serial 1 is the first snapshot
        XCTAssertGreaterThanOrEqual(committed, said, "every batch reported committed survived")
        XCTAssertLessThanOrEqual(committed, said + 1, "at most the batch in flight was being written")
        let keys = Set(state.records["Skills"]?.keys.map { $0 } ?? [])
        let expected = Set((1...max(committed, 1)).flatMap { batch in (0..<size).map { "b\(batch)-\($0)" } })
        XCTAssertEqual(keys, committed == 0 ? [] : expected, "whole batches only, nothing of the one in flight")

        // The next run, from the state as left, goes on.
        let next = try ProbeProcess(["pg-state", uri, schema, target, "1"])
        XCTAssertNotNil(next.waitForLine("batch 1", timeout: 60))
        next.signal(SIGKILL)
        _ = next.finish()
        let resumed = try XCTUnwrap(try store.load(expectedTarget: target))
        XCTAssertGreaterThan(resumed.serial, state.serial)
        XCTAssertEqual(resumed.records["Skills"]?["b\(committed)-\(size - 1)"], state.records["Skills"]?["b\(committed)-\(size - 1)"])
    }
}
