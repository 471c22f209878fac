import AirtableBase
import Foundation
import ReconCore
import Remote
import TestSupport
import XCTest

/// A response lost on the way back: Recon resends the request itself, whole, through its limiter.
final class AirtableLostResponseTests: XCTestCase {
    func testALostResponseIsRetriedOnceWithItsBody() throws {
        let harness = try AirtableHarness(keepAlive: true)
        let provider = harness.provider(rate: 50, timeout: 20)
        let (plugins, _) = try harness.createCatalog(provider)
        harness.emulator.resetLog()
        harness.emulator.dropResponses(1)
        let start = Date()
        // Ten records of 200 bytes: a body over 1 KiB, as a real batch is.
        let batch: [[String: FieldValue]] = (0..<10).map { ["Key": .text("k\($0)"), "Name": .text(String(repeating: "n", count: 200))] }
        let created = try provider.upsert(batch, in: plugins, mergeOn: "Key")
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(created.count, 10)
        // The upsert reads the keys first (a GET), then writes.
        let log = harness.emulator.requests.filter { $0.method == "PATCH" }
        XCTAssertEqual(log.map(\.status), [0, 200], "the dropped request, then one retry, nothing resent by the HTTP stack: \(log)")
        XCTAssertTrue(log.allSatisfy { $0.bodyComplete && $0.bodyLength > 2_000 }, "every attempt carried its body: \(log)")
        XCTAssertTrue(log.allSatisfy { $0.connection == "close" }, "writes ask for a connection of their own: \(log)")
        XCTAssertEqual(provider.statistics.retries, 1)
        XCTAssertEqual(harness.emulator.records(harness.baseID, table: "Plugins").count, 10, "the replay merged on the key")
        // On loopback the loss is seen at once; 20 s is one request timeout, the most it may cost.
        XCTAssertLessThan(elapsed, 20, "a lost response costs at most one timeout plus backoff")
    }

    func testTenLostResponsesInARowAreEachRetriedWithTheirBodies() throws {
        let harness = try AirtableHarness(keepAlive: true)
        let provider = harness.provider(rate: 50, maxRetries: 2, timeout: 20)
        let (plugins, _) = try harness.createCatalog(provider)
        harness.emulator.resetLog()
        for index in 0..<10 {
            harness.emulator.dropResponses(1)
            let batch: [[String: FieldValue]] = (0..<10).map { ["Key": .text("k\(index)-\($0)"), "Name": .text(String(repeating: "n", count: 200))] }
            _ = try provider.upsert(batch, in: plugins, mergeOn: "Key")
        }
        let log = harness.emulator.requests.filter { $0.method == "PATCH" }
        XCTAssertEqual(log.count, 20, "each upsert: one lost answer, one retry: \(log.map(\.status))")
        XCTAssertEqual(log.filter { $0.status == 200 }.count, 10)
        XCTAssertTrue(log.allSatisfy { $0.bodyComplete && $0.bodyLength > 0 }, "\(log)")
        XCTAssertEqual(harness.emulator.records(harness.baseID, table: "Plugins").count, 100)
    }
}
