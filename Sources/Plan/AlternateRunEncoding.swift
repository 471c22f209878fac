import Dispatch
import Foundation
import ReconCore

/// A plan's record changes encoded by two cores: the caller writes runs 0, 2, 4, … into its writer while this
/// encodes runs 1, 3, 5, … on the other core, at most one run ahead of the caller, which appends each in its place.
/// The bytes are those of one pass (each run is written by a `JSONWriter.continuation()` of the caller's writer).
/// At 100,000 creates the encoding was ~0.7 s of one core while the other was idle (issue 12).
final class AlternateRunEncoding: @unchecked Sendable {
    let runLength: Int
    let runCount: Int
    private let condition = NSCondition()
    /// Under `condition`: the runs encoded and not yet taken, and the last run the caller took.
    private var encoded: [Int: [UInt8]] = [:]
    private var taken = -1
    private let finished = DispatchGroup()

    /// Starts encoding the odd runs of `changes` (of `runLength` changes each) with `start`, a continuation of the
    /// caller's writer inside the `record_changes` array.
    init(_ changes: [RecordChange], managed: [String: [String]], runLength: Int, start: JSONWriter) {
        self.runLength = runLength
        runCount = (changes.count + runLength - 1) / runLength
        let runCount = runCount
        DispatchQueue.global(qos: .userInitiated).async(group: finished) { [self] in
            for run in stride(from: 1, to: runCount, by: 2) {
                condition.lock()
                while run > taken + 2 { condition.wait() }
                condition.unlock()
                var writer = start
                PlanEncoder.write(changes[range(of: run, in: changes.count)], managed: managed, to: &writer)
                let bytes = writer.takeBytes()
                condition.lock()
                encoded[run] = bytes
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    func range(of run: Int, in count: Int) -> Range<Int> {
        run * runLength..<min(count, (run + 1) * runLength)
    }

    /// The bytes of odd run `run`, once encoded; the worker may then go on to the next.
    func take(_ run: Int) -> [UInt8] {
        condition.lock()
        while encoded[run] == nil { condition.wait() }
        let bytes = encoded.removeValue(forKey: run)!
        taken = run
        condition.broadcast()
        condition.unlock()
        return bytes
    }

    /// Waits for the worker to return (after the last odd run is taken, it has nothing left to do).
    func finish() {
        finished.wait()
    }
}
