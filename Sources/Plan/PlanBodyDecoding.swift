import ReconCore

/// A plan file's body decoded on another thread while the caller takes the file's digest: at 100,000 creates
/// they are about a second and a third of a second of one core each, one after the other before (issue 12).
/// Nothing here is trusted: the caller takes the plan only once the digest, the header and any signature check
/// out, and only if the verified body starts where this one was decoded from.
final class PlanBodyDecoding: Sendable {
    let start: Int
    private let decoding: BackgroundTask<Plan, ReconError>

    /// `cut`: the body with `record_changes` only up to there (`PlanDecoder.plan(_:at:halvedAt:)`).
    init(_ bytes: [UInt8], at start: Int, cut: RecordChangeSplit? = nil) {
        self.start = start
        decoding = BackgroundTask { () throws(ReconError) in try PlanDecoder.plan(bytes, at: start, cut: cut) }
    }

    /// Waits for the worker (every call, so no thread outlives the read); its plan or the error it met.
    func plan() throws(ReconError) -> Plan {
        try decoding.value()
    }

    /// Where the top-level `plan` member's value starts, by reading the header members before it; nil when the
    /// bytes do not say so plainly (then the caller decodes after hashing, as it always could).
    static func bodyStart(_ bytes: [UInt8]) -> Int? {
        PlanFileHeader.scan(bytes)?.start
    }
}
