import Dispatch
import Remote

/// The keys a create phase will upsert into one table, and what one look-up found for the next few batches:
/// each upsert still knows which of its keys someone else holds (their before-images), at one look-up per
/// `batchesAhead` batches instead of one per batch. A look-up older than `freshness` is done again.
struct AirtableKeyLookahead {
    /// Ten batches of ten: one URL, and a look-up about two seconds old at most at 5 requests/s.
    static let batchesAhead = 10
    static let freshness: Double = 10

    let field: String
    private let queue: [String]
    private let position: [String: Int]
    private var covered: Set<String> = []
    private var found: [String: RemoteRecord] = [:]
    private var readAt: Double = 0

    init(keys: [String], field: String) {
        self.field = field
        queue = keys
        position = Dictionary(keys.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    /// The records that hold `keys` now (by key); nil when these keys were not announced, so the caller looks
    /// them up itself. `read` looks keys up in the base.
    mutating func existing(for keys: [String], batchSize: Int,
                           read: ([String]) throws -> [RemoteRecord]) throws -> [String: RemoteRecord]? {
        let starts = keys.compactMap { position[$0] }
        guard starts.count == keys.count, let start = starts.min() else { return nil }
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        if !keys.allSatisfy(covered.contains) || now - readAt > Self.freshness {
            let window = Set(queue[start..<min(queue.count, start + Self.batchesAhead * max(1, batchSize))]).union(keys)
            found = [:]
            for record in try read(Array(window)) {
                if case .text(let key)? = record.fields[field]?.normalized { found[key] = record }
            }
            covered = window
            readAt = now
        }
        // Each key is written once; a second upsert of it (after this one) must look again.
        covered.subtract(keys)
        return found.filter { keys.contains($0.key) }
    }
}
