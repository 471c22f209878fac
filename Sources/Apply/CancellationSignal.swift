import Dispatch
import Extract
import Foundation

/// Asks a long run to stop at the next safe point: on SIGINT or SIGTERM, or when its deadline
/// (`--max-seconds`) passes. The applier checks `isCancelled` between batches, finishes the batch in
/// flight, writes the state, marks the run cancelled and exits 130.
///
/// The handlers are dispatch sources, not C signal handlers: the default action is set to ignore and
/// the signal is delivered as an event on a queue, where taking a lock is safe. A second SIGINT while
/// already cancelled force-exits at once with 130 (after `onForceExit`, if given): for a person who does
/// not want to wait for the batch; the state journal still loses at most that batch, and the lease left
/// behind names a dead process, so the next run breaks it with a note.
///
/// Every signal also kills the process groups of running children (git), which recon puts in groups of
/// their own: a hung clone dies with the run instead of holding the lock. Commands with no safe point
/// to stop at install it with `exitOnSignal`, to exit 130 once the children are gone.
public final class CancellationSignal: @unchecked Sendable {
    public enum Reason: Sendable, Equatable {
        case signal(Int32)
        case deadline

        /// `SIGINT`, `SIGTERM`, or `--max-seconds`, for messages.
        public var description: String {
            switch self {
            case .signal(SIGINT): "SIGINT"
            case .signal(SIGTERM): "SIGTERM"
            case .signal(let number): "signal \(number)"
            case .deadline: "--max-seconds"
            }
        }
    }

    public let deadline: Date?
    private let clock: @Sendable () -> Date
    private let lock = NSLock()
    private var firstReason: Reason?
    private var sources: [DispatchSourceSignal] = []
    private var installedSignals: [Int32] = []
    private let onForceExit: (@Sendable () -> Void)?

    /// A signal with no handlers installed: cancelled only by `cancel(_:)` or by its deadline.
    public init(deadline: Date? = nil, clock: @escaping @Sendable () -> Date = { Date() },
                onForceExit: (@Sendable () -> Void)? = nil) {
        self.deadline = deadline
        self.clock = clock
        self.onForceExit = onForceExit
    }

    /// Installs handlers for `signals` (SIGINT and SIGTERM by default) and returns the signal they set.
    /// `maxSeconds` sets a deadline counted from now. Call it on the main thread before other threads
    /// start (see `setBlocked`), and `uninstall()` when the run is over.
    public static func install(signals: [Int32] = [SIGINT, SIGTERM], maxSeconds: TimeInterval? = nil,
                               forceExitOnSecondInterrupt: Bool = true, exitOnSignal: Bool = false,
                               onForceExit: (@Sendable () -> Void)? = nil) -> CancellationSignal {
        let cancellation = CancellationSignal(deadline: maxSeconds.map { Date().addingTimeInterval($0) },
                                              onForceExit: onForceExit)
        let queue = DispatchQueue(label: "recon.cancellation")
        var sources: [DispatchSourceSignal] = []
        CancellationSignal.setBlocked(signals, true)
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak cancellation] in
                ChildProcessGroups.stopAll()
                if exitOnSignal { _exit(130) }
                cancellation?.received(number, forceExit: forceExitOnSecondInterrupt)
            }
            source.resume()
            sources.append(source)
        }
        cancellation.lock.withLock {
            cancellation.sources = sources
            cancellation.installedSignals = signals
        }
        return cancellation
    }

    /// True once a signal arrived or the deadline passed; cheap enough to check per batch.
    public var isCancelled: Bool { reason != nil }

    /// Why the run was cancelled (the first reason wins), or nil.
    public var reason: Reason? {
        lock.withLock {
            if firstReason == nil, let deadline, clock() >= deadline { firstReason = .deadline }
            return firstReason
        }
    }

    /// Cancels from code (a failed heartbeat, a lost lease). The first reason is kept.
    public func cancel(_ reason: Reason) {
        lock.withLock {
            if firstReason == nil { firstReason = reason }
        }
    }

    /// Stops listening and restores the default actions.
    public func uninstall() {
        let (sources, signals) = lock.withLock {
            defer { self.sources = []; installedSignals = [] }
            return (self.sources, installedSignals)
        }
        for source in sources { source.cancel() }
        // Unblocking while ignored drops anything still pending instead of acting on it.
        for number in signals { signal(number, SIG_IGN) }
        CancellationSignal.setBlocked(signals, false)
        for number in signals { signal(number, SIG_DFL) }
    }

    /// Linux delivers these signals to the dispatch source through a signalfd, which sees only signals
    /// that are blocked; a thread that does not block them would take them and, the action being
    /// "ignore", drop them. Threads inherit the mask of the thread that starts them, so installing in
    /// `main` before any other thread starts covers every thread.
    private static func setBlocked(_ signals: [Int32], _ blocked: Bool) {
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        pthread_sigmask(blocked ? SIG_BLOCK : SIG_UNBLOCK, &set, nil)
    }

    private func received(_ number: Int32, forceExit: Bool) {
        let repeated: Bool = lock.withLock {
            let already = firstReason.map { if case .signal = $0 { true } else { false } } ?? false
            if firstReason == nil { firstReason = .signal(number) }
            return already
        }
        if repeated, forceExit, number == SIGINT {
            onForceExit?()
            _exit(130)
        }
    }
}
