import Foundation
import ReconCore

/// Paces requests to one base so a normal run never meets Airtable's 5 requests/s limit, and slows
/// down when the base says so. Shared by every client of the same base in the process and, through
/// a pace file, by every Recon process on the base; after a 429 nothing is sent until the penalty is over.
///
/// The server counts arrivals in a sliding second. Spacing sends 1/rate apart is not enough: a
/// request delayed in transit arrives late and lands in the same window as the ones sent after
/// it. So a request may also start only once the request `capacity` places before it has been
/// answered and a whole window has passed since: that request arrived before its answer, this
/// one arrives after its own start, so the two are never in one window, whatever the jitter.
///
/// The rate is additive-increase, multiplicative-decrease: a 429 halves it (once per overload: the
/// 429s of requests sent before the cut are the same one), each answer adds `increasePerAnswer`
/// back, up to `requestsPerSecond`. A base limited below 5/s so settles under its limit after a 429 or two.
public final class AirtableRateLimiter: @unchecked Sendable {
    /// Sends are spaced a little wider than 1/rate, so a steady stream keeps a few milliseconds
    /// of slack behind the window rule rather than riding on it.
    public static let safetyMargin = 1.01
    public static let decreaseFactor = 0.5
    /// About 30 answers to climb back from 2.5 to 4 requests/s: a probe above a base's limit costs
    /// a 30 s penalty, so it comes rarely.
    public static let increasePerAnswer = 0.05
    public static let minimumRate = 0.2
    /// A request in flight this long (its process died) no longer holds the next ones back.
    static let inFlightLimit = 120.0

    /// The ceiling: the rate a run starts at and climbs back to.
    public let requestsPerSecond: Double
    /// Names the base in wait notices.
    let baseID: String
    private let lock = NSLock()
    private var memory: AirtablePace
    private let file: AirtablePaceFile?

    /// A granted request; hand it back through `finished` when its answer (or failure) is in.
    struct Ticket {
        let number: Int
        let sent: Double
    }

    /// How a request ended, for the rate.
    enum Outcome {
        case answered
        /// A 429; nothing is sent to the base for `penalty` seconds.
        case throttled(penalty: Double)
        /// A 5xx or a transport failure: says nothing about the rate.
        case failed
    }

    /// `paceFolder`: where the pace file of `baseID` is shared with other processes (nil: this
    /// process alone). The first slot is one interval after creation: a command run right after
    /// another (plan, then apply) would otherwise add its first request to the previous one's full window.
    public init(requestsPerSecond: Double, baseID: String = "", paceFolder: String? = nil) {
        let rate = max(requestsPerSecond, 0.001)
        self.requestsPerSecond = rate
        self.baseID = baseID
        memory = AirtablePace(rate: rate, nextSlot: Self.now() + Self.safetyMargin / rate)
        file = paceFolder.flatMap { AirtablePaceFile(folder: $0, baseID: baseID) }
    }

    /// The current rate (lowered after a 429), for tests and statistics.
    public var currentRate: Double { update { $0.rate } }

    /// Blocks (through `sleep`) until this caller may send one request. A wait of 2 s or more
    /// (a penalty, or another process's requests) is reported once as a `WaitNotice`.
    func acquire(sleep: (Double) -> Void) -> Ticket {
        var reported = false
        while true {
            let decision: (wait: Double, ticket: Ticket?, penalty: Bool) = update { pace in
                let now = Self.now()
                var earliest = max(pace.nextSlot, pace.heldUntil)
                let capacity = max(1, Int(pace.rate.rounded(.down)))
                if pace.recent.count >= capacity {
                    // The request `capacity` places back must be answered; if it is still in flight
                    // (another thread's or process's), look again shortly.
                    let back = pace.recent[pace.recent.count - capacity]
                    let done = back.answered ?? (now - back.sent > Self.inFlightLimit ? back.sent : nil)
                    guard let done else { return (0.005, nil, false) }
                    earliest = max(earliest, done + Double(capacity) / pace.rate + 0.002)
                }
                let slot = max(now, earliest)
                guard slot <= now else { return (slot - now, nil, pace.heldUntil > now) }
                pace.issued += 1
                pace.recent.append(AirtablePace.Request(number: pace.issued, sent: now, answered: nil))
                pace.recent.removeFirst(max(0, pace.recent.count - AirtablePace.recentLimit))
                pace.nextSlot = slot + Self.safetyMargin / pace.rate
                return (0, Ticket(number: pace.issued, sent: now), false)
            }
            if let ticket = decision.ticket { return ticket }
            if !reported, decision.wait >= WaitNotice.threshold {
                reported = true
                let reason = decision.penalty ? "Airtable asked to slow down (429) for base \(baseID)"
                                              : "the pace of Airtable base \(baseID), shared with other Recon runs"
                WaitNotice.report(WaitNotice(seconds: decision.wait, reason: reason))
            }
            sleep(decision.wait)
        }
    }

    /// Records how the request of `ticket` ended.
    func finished(_ ticket: Ticket, _ outcome: Outcome) {
        update { pace in
            let now = Self.now()
            if let index = pace.recent.firstIndex(where: { $0.number == ticket.number }) { pace.recent[index].answered = now }
            switch outcome {
            case .answered:
                pace.rate = min(requestsPerSecond, pace.rate + Self.increasePerAnswer)
            case .throttled(let penalty):
                if ticket.sent >= pace.loweredAt {
                    pace.rate = max(min(Self.minimumRate, requestsPerSecond), pace.rate * Self.decreaseFactor)
                    pace.loweredAt = now
                }
                pace.heldUntil = max(pace.heldUntil, now + penalty)
            case .failed:
                break
            }
        }
    }

    /// `body` on the pace, under the process lock and, when shared, the file's lock.
    private func update<T>(_ body: (inout AirtablePace) -> T) -> T {
        lock.withLock {
            let ceiling = requestsPerSecond
            let sane = { (pace: inout AirtablePace) in
                // Another process may run at a higher ceiling; a clock set back must not stall the base.
                pace.rate = min(pace.rate, ceiling)
                let now = Self.now()
                if pace.nextSlot > now + 3600 { pace.nextSlot = now }
                if pace.heldUntil > now + 3600 { pace.heldUntil = now }
            }
            if let file, let result = file.update(initial: { memory }, { pace -> T in
                sane(&pace)
                return body(&pace)
            }) {
                return result
            }
            sane(&memory)
            return body(&memory)
        }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    // MARK: One limiter per base

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [String: AirtableRateLimiter] = [:]

    /// The process-wide limiter for `baseID` at `apiURL`, so two providers of one base share it.
    public static func shared(baseID: String, apiURL: URL, requestsPerSecond: Double, paceFolder: String? = nil) -> AirtableRateLimiter {
        let key = "\(apiURL.absoluteString)#\(baseID)#\(requestsPerSecond)#\(paceFolder ?? "")"
        return registryLock.withLock {
            if let existing = registry[key] { return existing }
            let limiter = AirtableRateLimiter(requestsPerSecond: requestsPerSecond, baseID: baseID, paceFolder: paceFolder)
            registry[key] = limiter
            return limiter
        }
    }
}
