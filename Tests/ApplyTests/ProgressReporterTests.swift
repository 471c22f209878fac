import Apply
import Foundation
import XCTest

/// Progress output in each mode, with a clock the test moves by hand.
final class ProgressReporterTests: XCTestCase {
    /// A hand-driven clock and everything written, shared with the reporter's closures.
    private final class Harness: @unchecked Sendable {
        private let lock = NSLock()
        private var time = Date(timeIntervalSince1970: 1_000_000)
        private var written: [String] = []
        var now: Date { lock.withLock { time } }
        var output: [String] { lock.withLock { written } }
        func advance(_ seconds: TimeInterval) { lock.withLock { time += seconds } }
        func write(_ text: String) { lock.withLock { written.append(text) } }

        func reporter(total: Int, mode: ProgressReporter.Mode) -> ProgressReporter {
            ProgressReporter(total: total, label: "Applying", mode: mode, clock: { self.now }, output: { self.write($0) })
        }
    }

    func testPeriodicModeWritesAtMostEveryIntervalAndAFinalLine() {
        let harness = Harness()
        let progress = harness.reporter(total: 1000, mode: .periodic(interval: 10))
        for _ in 0..<9 {
            harness.advance(2)
            progress.advance(by: 50)
        }
        // 18 s in: one line at 10 s (250 done, 25/s); the next is due at 20 s.
        XCTAssertEqual(harness.output, ["Applying: 250/1000 (25%), 25/s, ETA 30s\n"])
        harness.advance(2)
        progress.advance(by: 50)
        XCTAssertEqual(harness.output.last, "Applying: 500/1000 (50%), 25/s, ETA 20s\n")
        harness.advance(5)
        progress.update(done: 1000)
        progress.finish()
        progress.finish()
        XCTAssertEqual(harness.output.count, 3)
        XCTAssertEqual(harness.output.last, "Applying: 1000/1000 (100%) in 25s, 40/s\n")
    }

    func testLiveModeRewritesOneLineAndClearsIt() {
        let harness = Harness()
        let progress = harness.reporter(total: 400, mode: .live)
        harness.advance(1)
        progress.advance(by: 100)
        progress.advance(by: 1)  // within 0.1 s of the last redraw: not drawn
        harness.advance(1)
        progress.advance(by: 99)
        XCTAssertEqual(harness.output, ["\r\u{1B}[KApplying: 100/400 (25%), 100/s, ETA 3s",
                                        "\r\u{1B}[KApplying: 200/400 (50%), 100/s, ETA 2s"])
        XCTAssertFalse(harness.output.joined().contains("\n"), "a live line never scrolls")
        progress.update(done: 400)  // the last step is always drawn
        XCTAssertEqual(harness.output.last, "\r\u{1B}[KApplying: 400/400 (100%), 200/s, ETA 0s")
        progress.finish()
        XCTAssertEqual(harness.output.last, "\r\u{1B}[K")
    }

    func testSilentForJSONAndWhenThereIsNothingToDo() {
        XCTAssertEqual(ProgressReporter.Mode.choose(isTerminal: true, json: true), .silent)
        XCTAssertEqual(ProgressReporter.Mode.choose(isTerminal: true, json: false), .live)
        XCTAssertEqual(ProgressReporter.Mode.choose(isTerminal: false, json: false), .periodic(interval: 10))
        for (total, mode) in [(10, ProgressReporter.Mode.silent), (0, .live), (0, .periodic(interval: 1))] {
            let harness = Harness()
            let progress = harness.reporter(total: total, mode: mode)
            harness.advance(30)
            progress.advance(by: 5)
            progress.finish()
            XCTAssertEqual(harness.output, [], "total \(total), \(mode)")
        }
    }

    func testLongRunsShowMinutesAndHours() {
        let harness = Harness()
        let progress = harness.reporter(total: 100_000, mode: .periodic(interval: 10))
        harness.advance(125)
        progress.advance(by: 10_000)
        XCTAssertEqual(harness.output, ["Applying: 10000/100000 (10%), 80/s, ETA 18m45s\n"])
        harness.advance(4000)
        progress.advance(by: 1)
        XCTAssertEqual(harness.output.last, "Applying: 10001/100000 (10%), 2.4/s, ETA 10h18m\n")
    }
}
