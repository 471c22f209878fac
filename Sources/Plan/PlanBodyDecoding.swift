import ReconCore

/// A plan file's body decoded on another thread while the caller takes the file's digest: at 100,000 creates
/// they are about a second and a third of a second of one core each, one after the other before (issue 12).
/// Nothing here is trusted: the caller takes the plan only once the digest, the header and any signature check
/// out, and only if the verified body starts where this one was decoded from.
final class PlanBodyDecoding: Sendable {
    let start: Int
    /// The plan or the error the worker met, and the first half's slots as it left them (either way).
    private let decoding: BackgroundTask<(plan: Result<Plan, ReconError>, filled: RecordChangeSlots?), Never>

    init(_ bytes: [UInt8], at start: Int) {
        self.start = start
        decoding = BackgroundTask { (Result { () throws(ReconError) in try PlanDecoder.plan(bytes, at: start) }, nil) }
    }

    /// The first half of a body read in two (`PlanDecoder.plan(_:at:halvedAt:)`): every member, and `record_changes`
    /// up to the cut put into `slots` (then `filled`), the plan given without them.
    init(_ bytes: [UInt8], at start: Int, cut: RecordChangeSplit, into slots: RecordChangeSlots) {
        self.start = start
        decoding = BackgroundTask {
            var slots = slots
            let plan = Result { () throws(ReconError) in
                try PlanDecoder.plan(bytes, at: start, cut: cut) { change throws(ReconError) in try slots.append(change) }
            }
            return (plan, slots)
        }
    }

    /// The first half's slots as the worker left them; waits for it.
    var filled: RecordChangeSlots? { decoding.value().filled }

    /// Waits for the worker (every call, so no thread outlives the read); its plan or the error it met.
    func plan() throws(ReconError) -> Plan {
        try decoding.value().plan.get()
    }

    /// Where the top-level `plan` member's value starts, by reading the header members before it; nil when the
    /// bytes do not say so plainly (then the caller decodes after hashing, as it always could).
    static func bodyStart(_ bytes: [UInt8]) -> Int? {
        PlanFileHeader.scan(bytes)?.start
    }
}
