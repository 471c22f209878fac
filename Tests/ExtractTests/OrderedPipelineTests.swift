import XCTest
@testable import Extract

/// The pipeline's outputs come back in the order the items went in, whatever batch finished first.
final class OrderedPipelineTests: XCTestCase {
    func testOutputsKeepInputOrderAcrossBatchesAndTail() {
        // Uneven work, so later batches often finish before earlier ones.
        let transform: @Sendable (Int) -> String = { item in
            var total = 0
            for step in 0..<((item % 5 == 0) ? 20_000 : 10) { total &+= step ^ item }
            return "\(item):\(total)"
        }
        for workers in [1, 2, 3] {
            let pipeline = OrderedPipeline<Int, String>(workers: workers, batchSize: 7, transform: transform)
            for item in 0..<1000 { pipeline.add(item) }
            XCTAssertEqual(pipeline.finish(), (0..<1000).map(transform), "\(workers) workers")
        }
        let small = OrderedPipeline<Int, String>(workers: 2, batchSize: 64, transform: transform)
        for item in 0..<5 { small.add(item) }
        XCTAssertEqual(small.finish(), (0..<5).map(transform), "fewer items than a batch run inline")
    }
}
