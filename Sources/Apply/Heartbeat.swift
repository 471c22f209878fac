import Foundation

/// Runs an action every `interval` seconds on its own thread until stopped.
///
/// A plain thread rather than a dispatch timer: the applier's main thread may sit in a long blocking
/// write, and the lease must keep being renewed meanwhile. `stop()` wakes the thread at once and waits
/// for it, so no beat runs after `stop()` returns.
public final class Heartbeat: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    public init(interval: TimeInterval, name: String, action: @escaping @Sendable () -> Void) {
        let thread = Thread { [condition, finished] in
            condition.lock()
            while !self.stopped {
                let deadline = Date().addingTimeInterval(interval)
                while !self.stopped, condition.wait(until: deadline) {}
                if self.stopped { break }
                condition.unlock()
                action()
                condition.lock()
            }
            condition.unlock()
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Stops the beats and returns once the thread has ended; calling it again does nothing.
    public func stop() {
        condition.lock()
        let wasStopped = stopped
        stopped = true
        condition.broadcast()
        condition.unlock()
        if !wasStopped { finished.wait() }
    }
}
