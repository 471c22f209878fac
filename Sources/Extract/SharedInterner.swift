import Foundation
import ReconCore

/// One `ValueInterner` for the parsing workers of a repo, behind a lock: 100,000 entities built apart repeat a few
/// tag lists, emails and links, each its own heap string or array held to the end of the run (issue 12, goal 5). A
/// value is given back only for the same bytes, so every record, cache entry and plan is the same.
final class SharedInterner: @unchecked Sendable {
    private var interner = ValueInterner()
    private let lock = NSLock()

    /// `value`, with the storage of an equal text or list met before.
    func intern(_ value: FieldValue) -> FieldValue {
        switch value {
        case .text(let text) where text.utf8.count > 15:
            lock.lock()
            defer { lock.unlock() }
            return .text(interner.text(text))
        case .list(let items) where !items.isEmpty:
            lock.lock()
            defer { lock.unlock() }
            return .list(interner.list(items))
        default:
            return value
        }
    }
}
