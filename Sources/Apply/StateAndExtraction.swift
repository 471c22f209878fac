import Dispatch
import Extract
import ReconCore
import State

/// The delta path's state load and extraction, run at once on the two cores: neither reads the other, and on the 1% run
/// each is about a quarter of the wall time (issue 12, goal 4). Failures come in the order a sequential run gave them:
/// the state's first, so a damaged state is reported as such whatever the repos hold.
enum StateAndExtraction {
    typealias Loaded = (state: StateModel?, layout: StateFileLayout?)

    /// `--timings` gets `state` and `extract` as before, each its own wall time: they overlap, so their sum is more than
    /// the time they took together.
    static func read(loading: @escaping @Sendable () throws -> Loaded, extracting: () throws -> ExtractResult,
                     timings: inout StageTimings) throws -> (state: StateModel?, layout: StateFileLayout?, extracted: ExtractResult) {
        let load = BackgroundTask { () throws(any Error) -> (loaded: Loaded, seconds: Double) in
            let start = DispatchTime.now().uptimeNanoseconds
            let loaded = try loading()
            return (loaded, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let extraction = Result { try extracting() }
        let extractSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let loaded: (loaded: Loaded, seconds: Double)
        do {
            loaded = try load.value()
        } catch {
            // Its records entries are written before the error leaves: no work outlives the run.
            (try? extraction.get())?.entryStores?.wait()
            throw error
        }
        timings.record("state", seconds: loaded.seconds)
        let extracted = try extraction.get()
        timings.record("extract", seconds: extractSeconds)
        return (loaded.loaded.state, loaded.loaded.layout, extracted)
    }
}
