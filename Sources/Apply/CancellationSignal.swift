import Dispatch
import Extract
import Foundation

/// Asks a long run to stop at the next safe point: on SIGINT or SIGTERM, or when its deadline
/// (`--max-seconds`) passes. The applier checks `isCancelled` before every write, finishes the batch in
/// flight, writes the state, marks the run cancelled and exits 130. The deadline counts only the writing:
/// its clock starts at `startClock()`, so waiting for the lock or planning never uses it up.
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
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        case signal(Int32)
        case deadline

        /// `interrupted (SIGINT)`, `interrupted (SIGTERM)`, or `--max-seconds reached`, for messages.
        public var description: String {
            switch self {
            case .signal(SIGINT): "interrupted (SIGINT)"
            case .signal(SIGTERM): "interrupted (SIGTERM)"
            case .signal(let number): "interrupted (signal \(number))"
            case .deadline: "--max-seconds reached"
            }
        }
    }

    /// When the run stops by itself; nil until `startClock()` when only a budget is set.
    public var deadline: Date? { lock.withLock { storedDeadline } }
    private var storedDeadline: Date?
    /// Seconds the writing may take, started by `startClock()`.
    private let budget: TimeInterval?
    private let clock: @Sendable () -> Date
    private let lock = NSLock()
    private var firstReason: Reason?
    private var sources: [DispatchSourceSignal] = []
    private var installedSignals: [Int32] = []
    private let onForceExit: (@Sendable () -> Void)?

    /// A signal with no handlers installed: cancelled only by `cancel(_:)` or by its deadline.
    public init(deadline: Date? = nil, budget: TimeInterval? = nil, clock: @escaping @Sendable () -> Date = { Date() },
                onForceExit: (@Sendable () -> Void)? = nil) {
        self.storedDeadline = deadline
        self.budget = budget
        self.clock = clock
        self.onForceExit = onForceExit
    }

    /// Installs handlers for `signals` (SIGINT and SIGTERM by default) and returns the signal they set.
    /// `maxSeconds` is the budget of the writing, counted from `startClock()`. Call it on the main thread before other threads
    /// start (see `setBlocked`), and `uninstall()` when the run is over.
    public static func install(signals: [Int32] = [SIGINT, SIGTERM], maxSeconds: TimeInterval? = nil,
                               forceExitOnSecondInterrupt: Bool = true, exitOnSignal: Bool = false,
                               onForceExit: (@Sendable () -> Void)? = nil) -> CancellationSignal {
        let cancellation = CancellationSignal(budget: maxSeconds, onForceExit: onForceExit)
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

    /// Starts the budget's clock, once, when the first write is about to happen; later calls do nothing.
    public func startClock() {
        lock.withLock {
            if storedDeadline == nil, let budget { storedDeadline = clock().addingTimeInterval(budget) }
        }
    }

    /// True once a signal arrived or the deadline passed; cheap enough to check per batch.
    public var isCancelled: Bool { reason != nil }

    /// Why the run was cancelled (the first reason wins), or nil.
    public var reason: Reason? {
        lock.withLock {
            if firstReason == nil, let storedDeadline, clock() >= storedDeadline { firstReason = .deadline }
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
