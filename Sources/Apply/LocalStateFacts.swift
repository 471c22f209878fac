import Foundation
import ReconCore
import State

/// Cheap facts about a local state that a run's outcome depends on, so a file kept from an earlier run (a no-op
/// seal, a plan receipt) can tell whether anything happened since: the state file's bytes and the newest run.
enum LocalStateFacts {
    /// SHA-256 of the state file, streamed; `whenMissing` when there is none. Nil when its journal holds batches not
    /// yet folded in (a run in flight or killed) or it cannot be read.
    static func stateDigest(_ store: StateStore, whenMissing: String? = nil) -> String? {
        var journal = stat()
        if stat(store.journalPath, &journal) == 0, journal.st_size > 0 { return nil }
        guard access(store.path, F_OK) == 0 else { return errno == ENOENT ? whenMissing : nil }
        return digest(ofFile: store.path)
    }

    /// SHA-256 of a file, streamed; nil when it cannot be read.
    static func digest(ofFile path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress!, $0.count) }
            if count < 0 { if errno == EINTR { continue }; return nil }
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
        }
        return hasher.hexDigest()
    }

    /// The newest apply or rollback and its status, and how many run folders could not be read.
    static func newestRun(_ runs: any RunStore) -> String {
        let listing = runs.listing()
        let newest = listing.runs.first { $0.record.operation != .drift }
        return "\(newest?.id ?? "-") \(newest?.status.rawValue ?? "-") unreadable=\(listing.unreadable.count)"
    }
}
