import Foundation
@testable import State
import TestSupport
import XCTest

/// The state is written in chunks (and its history copied from the file), never whole in memory: the bytes are still
/// `StateCodec.encode`'s, in the snapshot and in the history.
final class StateStreamTests: XCTestCase {
    func testAStateOfSeveralChunksIsWrittenAndKeptInHistoryAsItsEncoding() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated(records: 6000)
        try store.write(&state, keepHistory: 5)
        let written = try XCTUnwrap(AtomicFile.read(store.path))
        XCTAssertGreaterThan(written.count, 1 << 20, "more than one chunk")
        XCTAssertTrue(written == StateCodec.encode(state))
        let history = try XCTUnwrap(store.history.entries().last)
        XCTAssertEqual(history.serial, state.serial)
        XCTAssertTrue(try XCTUnwrap(AtomicFile.read(history.path)) == written)
        XCTAssertEqual(try store.load(expectedTarget: nil), state)
    }

    func testChunksOfAnySizeMakeTheSameBytes() throws {
        let state = StateSamples.populated(records: 40)
        for size in [1, 100, 4096] {
            var bytes: [UInt8] = []
            StateCodec.encode(state, chunkSize: size) { bytes += $0 }
            XCTAssertTrue(bytes == StateCodec.encode(state), "chunks of \(size)")
        }
    }
}
