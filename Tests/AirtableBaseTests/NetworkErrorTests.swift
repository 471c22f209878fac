import AirtableBase
import Foundation
import ReconCore
import TestSupport
import XCTest

/// A regression: a refused connection read `connection failed (URLError -1004)`. Network errors now
/// name the host and what to check.
final class NetworkErrorTests: XCTestCase {
    func testARefusedConnectionNamesTheHostAndWhatToCheck() throws {
        // A port that was just free: nothing listens there any more.
        let server = try LoopbackHTTPServer { _ in nil }
        let port = server.port
        server.stop()
        let timing = AirtableTiming(requestTimeout: 5, penaltySeconds: 0, backoffBase: 0, backoffCap: 0, maxRetries: 1, sleep: { _ in })
        let configuration = AirtableConfiguration(baseID: "appTEST", apiURL: URL(string: "http://127.0.0.1:\(port)")!,
                                                  token: AirtableToken("patSECRET.123"), requestsPerSecond: 100, timing: timing)
        let provider = AirtableBase(configuration: configuration, limiter: AirtableRateLimiter(requestsPerSecond: 100))
        XCTAssertThrowsError(try provider.inspectSchema()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("127.0.0.1:\(port)"), text)
            XCTAssertTrue(text.contains("refused"), text)
            XCTAssertTrue(text.contains("api_url"), "says what to check: \(text)")
            XCTAssertFalse(text.contains("URLError"), text)
            XCTAssertFalse(text.contains("patSECRET"), text)
        }
    }
}
