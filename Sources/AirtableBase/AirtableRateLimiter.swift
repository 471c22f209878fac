import Foundation

/// Paces requests to one base so a normal run never meets Airtable's 5 requests/s limit.
/// Shared by every client of the same base in the process; one slot per `interval`, and after a
/// 429 nothing is sent until the penalty is over.
public final class AirtableRateLimiter: @unchecked Sendable {
    /// Requests are spaced a little wider than 1/rate: the server counts arrivals in a sliding
    /// second, and a millisecond of jitter would otherwise let six land in one window.
    public static let safetyMargin = 1.03

    public let requestsPerSecond: Double
    private let interval: Double
    private let lock = NSLock()
    private var nextSlot: Double = 0

    /// The first slot is one interval after creation: a command run right after another (plan,
    /// then apply) would otherwise add its first request to the previous process's full window.
    public init(requestsPerSecond: Double) {
        self.requestsPerSecond = requestsPerSecond
        interval = AirtableRateLimiter.safetyMargin / max(requestsPerSecond, 0.001)
        nextSlot = Self.now() + interval
    }

    /// Blocks (through `sleep`) until this caller may send one request.
    func acquire(sleep: (Double) -> Void) {
        let wait: Double = lock.withLock {
            let now = Self.now()
            let slot = max(now, nextSlot)
            nextSlot = slot + interval
            return slot - now
        }
        if wait > 0 { sleep(wait) }
    }

    /// No request before `seconds` from now (a 429's penalty).
    func hold(for seconds: Double) {
        lock.withLock { nextSlot = max(nextSlot, Self.now() + seconds) }
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    // MARK: One limiter per base

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [String: AirtableRateLimiter] = [:]

    /// The process-wide limiter for `baseID` at `apiURL`, so two providers of one base share it.
    public static func shared(baseID: String, apiURL: URL, requestsPerSecond: Double) -> AirtableRateLimiter {
        let key = "\(apiURL.absoluteString)#\(baseID)#\(requestsPerSecond)"
        return registryLock.withLock {
            if let existing = registry[key] { return existing }
            let limiter = AirtableRateLimiter(requestsPerSecond: requestsPerSecond)
            registry[key] = limiter
            return limiter
        }
    }
}
