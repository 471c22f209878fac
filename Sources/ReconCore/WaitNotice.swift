import Foundation

/// A wait the user should hear about: what is waited for and for how long. Whatever waits (the
/// Airtable client's pacing and backoff, the lock) reports here; the CLI shows it, one line per wait.
public struct WaitNotice: Sendable, Equatable {
    /// Shorter waits pass in silence: a normal run is full of sub-second pacing.
    public static let threshold = 2.0

    /// How long, in seconds; nil when only a bound is known (`limit`).
    public var seconds: Double?
    /// The most the wait can last, when it may end sooner (a lock released early).
    public var limit: Double?
    /// What is waited for, e.g. "Airtable asked to slow down (429) for base appXXXXXXXXXXXXXX".
    public var reason: String

    public init(seconds: Double? = nil, limit: Double? = nil, reason: String) {
        self.seconds = seconds
        self.limit = limit
        self.reason = reason
    }

    /// `Waiting 30s: reason`, or `Waiting for reason (up to 2m)`.
    public var line: String {
        if let seconds { return "Waiting \(Self.format(seconds)): \(reason)" }
        return "Waiting for \(reason)" + (limit.map { " (up to \(Self.format($0)))" } ?? "")
    }

    /// Whole seconds, or minutes from 2 minutes on: the one duration syntax (`30s`, `2m`).
    public static func format(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return whole >= 120 && whole % 60 == 0 ? "\(whole / 60)m" : "\(whole)s"
    }

    // MARK: The one reporter of the process

    private static let lock = NSLock()
    nonisolated(unsafe) private static var handler: (@Sendable (WaitNotice) -> Void)?

    /// Sets where notices go (the CLI: stderr, or a JSON event); nil for silence.
    public static func setHandler(_ handler: (@Sendable (WaitNotice) -> Void)?) {
        lock.withLock { self.handler = handler }
    }

    /// Passes the notice on when the wait (or its bound) reaches the threshold.
    public static func report(_ notice: WaitNotice) {
        guard (notice.seconds ?? notice.limit ?? 0) >= threshold else { return }
        lock.withLock { handler }?(notice)
    }
}
