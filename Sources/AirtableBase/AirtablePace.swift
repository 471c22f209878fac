import Foundation

/// What the pacing of one base remembers between requests: the current rate, the next free slot,
/// the end of a 429 penalty and the last few requests. Kept in memory, or in a pace file every Recon
/// process on the base shares (`AirtablePaceFile`). Times are wall-clock seconds, the one clock
/// processes share. No secrets: nothing here but numbers.
struct AirtablePace: Equatable {
    struct Request: Equatable {
        var number: Int
        var sent: Double
        /// When its answer (or failure) came; nil while in flight.
        var answered: Double?
    }

    /// Requests per second now: halved after a 429, raised a little by each answer, up to the ceiling.
    var rate: Double
    var nextSlot: Double = 0
    var heldUntil: Double = 0
    /// When the rate was last lowered: the 429s of requests sent before it are the same overload.
    var loweredAt: Double = 0
    var issued = 0
    /// The last requests, oldest first.
    var recent: [Request] = []

    static let recentLimit = 10

    /// One `key value…` line each, for the pace file.
    func encoded() -> String {
        var lines = ["rate \(rate)", "next \(nextSlot)", "held \(heldUntil)", "lowered \(loweredAt)", "issued \(issued)"]
        for request in recent { lines.append("request \(request.number) \(request.sent) \(request.answered.map { "\($0)" } ?? "-")") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The pace a file holds, or nil when it holds none (empty, or not written by this code).
    static func decode(_ text: String) -> AirtablePace? {
        var pace = AirtablePace(rate: 0)
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ").map(String.init)
            let numbers = parts.dropFirst().map { Double($0) }
            switch (parts.first, numbers.count) {
            case ("rate", 1): pace.rate = numbers[0] ?? 0
            case ("next", 1): pace.nextSlot = numbers[0] ?? 0
            case ("held", 1): pace.heldUntil = numbers[0] ?? 0
            case ("lowered", 1): pace.loweredAt = numbers[0] ?? 0
            case ("issued", 1): pace.issued = Int(numbers[0] ?? 0)
            case ("request", 3):
                guard let number = numbers[0], let sent = numbers[1] else { return nil }
                pace.recent.append(Request(number: Int(number), sent: sent, answered: numbers[2]))
            default: return nil
            }
        }
        guard pace.rate > 0, pace.rate.isFinite else { return nil }
        return pace
    }
}
