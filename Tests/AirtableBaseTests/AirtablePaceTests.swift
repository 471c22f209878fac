import AirtableBase
import Foundation
import ReconCore
import Remote
import TestSupport
import XCTest

/// The pace after a 429 (multiplicative decrease, additive increase, Retry-After) and its sharing
/// between limiters through the pace file. Durations scaled down; assertions on the emulator's log.
final class AirtablePaceTests: XCTestCase {
    override func tearDown() {
        WaitNotice.setHandler(nil)
        super.tearDown()
    }

    /// At 5/s against a base that takes 4, every fifth request met a 429 before; the rate now halves and climbs back slowly.
    func testABaseLimitedBelowFiveConvergesWithAFew429s() throws {
        let harness = try AirtableHarness(requestsPerSecond: 4, penalty: 1.1)
        let provider = harness.provider(rate: 5, penalty: 1.1)
        for _ in 0..<40 { _ = try provider.inspectSchema() }
        XCTAssertLessThanOrEqual(harness.emulator.throttledCount, 3, "\(harness.emulator.requests.map(\.status))")
        XCTAssertEqual(harness.emulator.requests.filter { $0.status == 200 }.count, 40, "every call succeeded")
    }

    func testTheRateHalvesOnceAfterA429AndClimbsBackOnAnswers() throws {
        let harness = try AirtableHarness(requestsPerSecond: 5, penalty: 1.1)
        let limiter = AirtableRateLimiter(requestsPerSecond: 8)
        let provider = AirtableBase(configuration: harness.provider(rate: 8, penalty: 1.1).configuration, limiter: limiter)
        while harness.emulator.throttledCount == 0 { _ = try provider.inspectSchema() }
        let lowered = limiter.currentRate
        let step = AirtableRateLimiter.increasePerAnswer
        XCTAssertEqual(lowered, 4 + step, accuracy: 0.001, "halved from 8 at the 429, raised by the answer to its retry")
        for _ in 0..<10 { _ = try provider.inspectSchema() }
        XCTAssertEqual(harness.emulator.throttledCount, 1, "at half the rate the base takes every request")
        XCTAssertEqual(limiter.currentRate, lowered + 10 * step, accuracy: 0.001, "each answer raises the rate again")
    }

    /// A server that says how long to wait is believed, not the 30 s Airtable default.
    func testRetryAfterIsHonoured() throws {
        let harness = try AirtableHarness(requestsPerSecond: 2, penalty: 2.5)
        harness.emulator.setRetryAfter(3)
        let provider = harness.provider(rate: 50, penalty: 0.6)
        for _ in 0..<4 { _ = try provider.inspectSchema() }
        XCTAssertEqual(harness.emulator.throttledCount, 1, "one 429, then nothing until Retry-After: \(harness.emulator.requests.map(\.status))")
        XCTAssertTrue(harness.waits.all.contains { $0 >= 2.9 }, "the 3 s of Retry-After were waited: \(harness.waits.all)")
    }

    /// Two limiters of one base (two processes, in effect: each opens the file on its own) share
    /// one pace through the file, so together they stay under the base's limit.
    func testLimitersSharingAPaceFileStayUnderTheLimitTogether() throws {
        let harness = try AirtableHarness(requestsPerSecond: 5, penalty: 1.1)
        let folder = TemporaryDirectory("pace")
        let configuration = harness.provider(rate: 5, penalty: 1.1).configuration
        let providers = (0..<2).map { _ in
            AirtableBase(configuration: configuration,
                         limiter: AirtableRateLimiter(requestsPerSecond: 5, baseID: harness.baseID, paceFolder: folder.path + "/pace"))
        }
        let group = DispatchGroup()
        let failures = WaitLog()
        for provider in providers {
            nonisolated(unsafe) let provider = provider  // each used by its one thread only
            DispatchQueue.global().async(group: group) {
                for _ in 0..<10 where (try? provider.inspectSchema()) == nil { failures.append(1) }
            }
        }
        group.wait()
        XCTAssertEqual(failures.all.count, 0)
        XCTAssertEqual(harness.emulator.throttledCount, 0, "\(harness.emulator.requests.map(\.status))")
        XCTAssertEqual(harness.emulator.requests.count, 20)
        let path = folder.path + "/pace/" + harness.baseID
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("rate "), text)
        XCTAssertFalse(text.contains(harness.emulator.token), "no secret in the pace file")
    }

    /// The penalty after a 429 is said once, with what is waited for and how long; short pacing waits are silent.
    func testAPenaltyWaitIsAnnouncedOnce() throws {
        let notices = NoticeLog()
        WaitNotice.setHandler { notices.append($0) }
        let harness = try AirtableHarness(requestsPerSecond: 5, penalty: 2.5)
        let provider = harness.provider(rate: 50, penalty: 2.5)
        for _ in 0..<8 { _ = try provider.inspectSchema() }
        XCTAssertEqual(harness.emulator.throttledCount, 1)
        XCTAssertEqual(notices.all.count, 1, "\(notices.all)")
        let notice = try XCTUnwrap(notices.all.first)
        XCTAssertTrue(notice.line.hasPrefix("Waiting 3s: Airtable asked to slow down (429)"), notice.line)
    }

    func testServerErrorRetriesAnnounceTheirLongerWaits() throws {
        let notices = NoticeLog()
        WaitNotice.setHandler { notices.append($0) }
        let harness = try AirtableHarness()
        let waits = WaitLog()
        var timing = harness.provider(rate: 50).configuration.timing
        timing.backoffBase = 4
        timing.backoffCap = 4
        timing.sleep = { waits.append($0) }  // not slept: only the notices matter here
        var configuration = harness.provider(rate: 50).configuration
        configuration.timing = timing
        let provider = AirtableBase(configuration: configuration, limiter: AirtableRateLimiter(requestsPerSecond: 50))
        harness.emulator.failNext(2, status: 503)
        _ = try provider.inspectSchema()
        XCTAssertEqual(notices.all.count, 2, "\(notices.all)")
        XCTAssertTrue(notices.all[0].line.contains("HTTP 503") && notices.all[0].line.contains("retry 1 of 4"), notices.all[0].line)
    }
}

final class NoticeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [WaitNotice] = []
    func append(_ notice: WaitNotice) { lock.withLock { items.append(notice) } }
    var all: [WaitNotice] { lock.withLock { items } }
}
