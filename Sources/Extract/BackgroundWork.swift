import Dispatch
import Foundation

/// One piece of work started on another thread at once, joined by `wait`: lets two independent writes (the two
/// extract cache files) use both cores. The error, if any, is handed back by `wait`.
final class BackgroundWork: @unchecked Sendable {
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var failure: Error?

    init(_ work: @escaping @Sendable () throws -> Void) {
        DispatchQueue.global().async(group: group) { [self] in
            do { try work() } catch { lock.withLock { failure = error } }
        }
    }

    /// Waits for the work to end; its error, or nil.
    func wait() -> Error? {
        group.wait()
        return lock.withLock { failure }
    }
}
