import Foundation

/// Paces requests to one base so a normal run never meets Airtable's 5 requests/s limit.
/// Shared by every client of the same base in the process; after a 429 nothing is sent until the
/// penalty is over.
///
/// The server counts arrivals in a sliding second. Spacing sends 1/rate apart is not enough: a
/// request delayed in transit arrives late and lands in the same window as the ones sent after
/// it. So a request may also start only once the request `capacity` places before it has been
/// answered and a whole window has passed since: that request arrived before its answer, this
/// one arrives after its own start, so the two are never in one window, whatever the jitter.
public final class AirtableRateLimiter: @unchecked Sendable {
    /// Sends are spaced a little wider than 1/rate, so a steady stream keeps a few milliseconds
    /// of slack behind the window rule rather than riding on it.
    public static let safetyMargin = 1.01

    public let requestsPerSecond: Double
    /// Requests the server accepts in one window.
    private let capacity: Int
    /// The server's window for `capacity` requests (1 s at a whole-number rate).
    private let window: Double
    private let interval: Double
    private let lock = NSLock()
    private var nextSlot: Double = 0
    private var issued = 0
    /// When each of the last `capacity` tickets was answered (nil while in flight), by ticket modulo capacity.
    private var answered: [Double?]

    /// A granted request; hand it back through `finished` when its answer (or failure) is in.
    struct Ticket { let number: Int }

    /// The first slot is one interval after creation: a command run right after another (plan,
    /// then apply) would otherwise add its first request to the previous process's full window.
    public init(requestsPerSecond: Double) {
        let rate = max(requestsPerSecond, 0.001)
        self.requestsPerSecond = requestsPerSecond
        capacity = max(1, Int(rate.rounded(.down)))
        window = Double(max(1, Int(rate.rounded(.down)))) / rate
        interval = AirtableRateLimiter.safetyMargin / rate
        answered = Array(repeating: nil, count: max(1, Int(rate.rounded(.down))))
        nextSlot = Self.now() + interval
    }

    /// Blocks (through `sleep`) until this caller may send one request.
    func acquire(sleep: (Double) -> Void) -> Ticket {
        while true {
            let decision: (wait: Double, ticket: Ticket?) = lock.withLock {
                let now = Self.now()
                var earliest = nextSlot
                if issued >= capacity {
                    // The ticket `capacity` places back must be answered; if it is still in
                    // flight (another thread's request), look again shortly.
                    guard let done = answered[issued % capacity] else { return (0.005, nil) }
                    earliest = max(earliest, done + window + 0.002)
                }
                let slot = max(now, earliest)
                guard slot <= now else { return (slot - now, nil) }
                let ticket = Ticket(number: issued)
                answered[issued % capacity] = nil
                issued += 1
                nextSlot = slot + interval
                return (0, ticket)
            }
            if let ticket = decision.ticket { return ticket }
            sleep(decision.wait)
        }
    }

    /// Records that the request of `ticket` has been answered, or has failed.
    func finished(_ ticket: Ticket) {
        lock.withLock {
            // A ticket older than the ring's span no longer constrains anyone.
            if issued - ticket.number <= capacity { answered[ticket.number % capacity] = Self.now() }
        }
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
