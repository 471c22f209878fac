import Foundation
import ReconCore

/// A file kept open after it was read whole, so parts of it can be read again later without holding all its bytes (a
/// lean state load's values, 63 MB at 100,000 records, were the 1% run's peak beside the extract cache's; issue 12).
/// A part read is the bytes read then only while the open file is unchanged: the same size, modification and change
/// times. Recon replaces its files by rename, which leaves an open file as it was; the change time moves on any write
/// in place, and no one can set it back.
final class HeldFile: @unchecked Sendable {
    private let descriptor: Int32
    private let identity: Identity
    let path: String

    private struct Identity: Equatable {
        var size: Int
        var modified: timespec
        var changed: timespec

        init?(_ descriptor: Int32) {
            var info = stat()
            guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            size = Int(info.st_size)
            modified = info.st_mtim
            changed = info.st_ctim
        }

        static func == (lhs: Identity, rhs: Identity) -> Bool {
            lhs.size == rhs.size && (lhs.modified.tv_sec, lhs.modified.tv_nsec) == (rhs.modified.tv_sec, rhs.modified.tv_nsec)
                && (lhs.changed.tv_sec, lhs.changed.tv_nsec) == (rhs.changed.tv_sec, rhs.changed.tv_nsec)
        }
    }

    /// Takes `descriptor` over (closed with this) when the file is as it was before it was read (`before`); else nil, and
    /// the caller still owns it.
    private init?(descriptor: Int32, path: String, sameAs before: Identity) {
        guard let now = Identity(descriptor), now == before else { return nil }
        self.descriptor = descriptor
        self.identity = now
        self.path = path
    }

    deinit { close(descriptor) }

    /// Whether the file is still the bytes read whole.
    var isUnchanged: Bool { Identity(descriptor) == identity }

    /// The bytes at `range`, as the whole read found them; throws when the file changed since, or before they are read.
    func read(_ range: Range<Int>) throws -> [UInt8] {
        guard isUnchanged, range.upperBound <= identity.size else { throw StateRefusal.changedSinceLoad(path: path) }
        var bytes = [UInt8](repeating: 0, count: range.count)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, $0.count - filled, off_t(range.lowerBound + filled)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw AtomicFile.failure("cannot read", path) }
            filled += count
        }
        guard isUnchanged else { throw StateRefusal.changedSinceLoad(path: path) }
        return bytes
    }

    /// The file's bytes, or nil when it does not exist; with the file held open when `holding` and it did not change
    /// while it was read (else nil: the caller keeps the bytes instead).
    static func read(_ path: String, holding: Bool) throws -> (bytes: [UInt8], held: HeldFile?)? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw AtomicFile.failure("cannot read", path)
        }
        guard let before = Identity(descriptor) else {
            close(descriptor)
            throw AtomicFile.failure("cannot read", path)
        }
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(descriptor, size: before.size, path: path)
        } catch {
            close(descriptor)
            throw error
        }
        if holding, let held = HeldFile(descriptor: descriptor, path: path, sameAs: before) { return (bytes, held) }
        close(descriptor)
        return (bytes, nil)
    }
}
