@testable import State
import TestSupport
import XCTest

/// The local files through the `StateBackend` protocol, as apply sees them.
final class LocalStateBackendTests: XCTestCase {
    func testRoundTripThroughTheProtocol() throws {
        let scratch = TemporaryDirectory()
        try StateBackendContract.roundTrip(StateSamples.store(in: scratch))
    }

    func testRefusals() throws {
        let scratch = TemporaryDirectory()
        try StateBackendContract.refusals(StateSamples.store(in: scratch))
    }
}
