@testable import State
import TestSupport
import XCTest

/// The local files through the `StateBackend` protocol, as apply sees them.
final class LocalStateBackendTests: XCTestCase {
    func testRoundTripThroughTheProtocol() throws {
        let scratch = TemporaryDirectory()
        try StateBackendContract.roundTrip(StateSamples.store(in: scratch))
    }

    func testItsLocationIsTheStateFile() {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        XCTAssertEqual(store.location, scratch.file("state/recon.state.json"), "messages name the file")
    }

    func testRefusals() throws {
        let scratch = TemporaryDirectory()
        try StateBackendContract.refusals(StateSamples.store(in: scratch))
    }
}
