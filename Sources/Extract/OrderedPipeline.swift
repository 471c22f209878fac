import Dispatch
import Foundation

/// Runs `transform` on worker threads while the caller goes on producing items (reading blobs from git), so
/// parsing uses the cores git and the reading loop leave free. Items go out in batches, at most `workers` in
/// flight (memory stays bounded), and `finish` gives the outputs in the order the items came: the serial result.
/// With one worker, or fewer items than a batch, everything runs inline on the caller's thread.
///
/// Only the caller touches `batch` and `dispatched`; workers touch `done`, under `lock`.
final class OrderedPipeline<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    private let transform: @Sendable (Input) -> Output
    private let workers: Int
    private let batchSize: Int
    private var batch: [Input] = []
    private var dispatched = 0
    private let lock = NSLock()
    private var done: [Int: [Output]] = [:]
    private let group = DispatchGroup()
    private let slots: DispatchSemaphore
    private let queue = DispatchQueue(label: "recon.extract.parse", attributes: .concurrent)

    init(workers: Int, batchSize: Int = 64, transform: @escaping @Sendable (Input) -> Output) {
        self.transform = transform
        self.workers = max(1, workers)
        self.batchSize = max(1, batchSize)
        slots = DispatchSemaphore(value: self.workers)
        batch.reserveCapacity(self.batchSize)
    }

    func add(_ item: Input) {
        batch.append(item)
        if workers > 1, batch.count >= batchSize { dispatch() }
    }

    /// Every output, in the order `add` was called; waits for the workers.
    func finish() -> [Output] {
        let tail = batch.map(transform)
        batch = []
        group.wait()
        var outputs: [Output] = []
        lock.withLock {
            for index in 0..<dispatched { outputs += done.removeValue(forKey: index) ?? [] }
        }
        return outputs + tail
    }

    private func dispatch() {
        let items = batch
        batch = []
        batch.reserveCapacity(batchSize)
        let index = dispatched
        dispatched += 1
        slots.wait()
        queue.async(group: group) { [self] in
            let outputs = items.map(transform)
            lock.withLock { done[index] = outputs }
            slots.signal()
        }
    }
}
