import Apply
import Foundation
import XCTest

/// The timestamp form every file uses.
final class UTCTimestampTests: XCTestCase {
    func testFormatsParseAndRoundTripExactly() {
        let date = UTCTimestamp.parse("2026-11-23T04:15:00.123Z")!
        XCTAssertEqual(UTCTimestamp.string(date), "2026-11-23T04:15:00.123Z")
        XCTAssertEqual(UTCTimestamp.compact(date), "20261123T041500Z")
        XCTAssertEqual(UTCTimestamp.parse("2026-11-23T04:15:00Z"), UTCTimestamp.parse("20261123T041500Z"))
        XCTAssertNil(UTCTimestamp.parse("2026-11-23 04:15:00"))
        XCTAssertNil(UTCTimestamp.parse("2026-11-23T04:15:00.12Z"))
        for _ in 0..<10_000 {
            let random = Date(timeIntervalSince1970: Double.random(in: 1_700_000_000...1_900_000_000))
            let once = UTCTimestamp.truncated(random)
            XCTAssertEqual(UTCTimestamp.truncated(once), once)
            XCTAssertEqual(UTCTimestamp.parse(UTCTimestamp.string(once)), once)
            XCTAssertEqual(once.timeIntervalSince1970, random.timeIntervalSince1970, accuracy: 0.000501)
        }
    }
}
