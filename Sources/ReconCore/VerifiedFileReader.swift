import Foundation

/// Reads a file again, front to back, while a new file is written from parts of it: the parts come from here a chunk at
/// a time, and every byte from `hashedFrom` on is hashed on the way (after `prefix`). `finish` throws `Changed` unless
/// the file still hashes to `digest`, the one taken when it was loaded, so nothing copied can differ from what was
/// decoded then; the caller then encodes everything instead. The file is not held in memory from the load.
public final class VerifiedFileReader {
    public struct Changed: Error {
        public init() {}
    }

    private let fd: Int32
    private let digest: [UInt8]
    private let hashedFrom: Int
    private let chunkSize: Int
    /// Taken by `finish`.
    private var hasher: SHA256? = SHA256()
    /// Bytes read and not yet passed, from file offset `windowStart`.
    private var window: [UInt8] = []
    private var windowStart = 0
    private var atEnd = false

    /// `digest`: 64 hex digits, of `prefix` and the file's bytes from `hashedFrom` on. Nil when the file cannot be
    /// opened (then the caller encodes everything).
    public init?(path: String, digest: [UInt8], hashedFrom: Int = 0, prefix: [UInt8] = [], chunkSize: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.digest = digest
        self.hashedFrom = hashedFrom
        self.chunkSize = max(chunkSize, 1 << 12)
        if !prefix.isEmpty { hasher?.update(prefix) }
    }

    /// As `init(path:…)`, reading the file open at `descriptor` from its start (through a duplicate, which shares its
    /// offset: for a holder that reads it only by offset, `pread`, or through here).
    public init?(reading descriptor: Int32, digest: [UInt8], chunkSize: Int) {
        let fd = dup(descriptor)
        guard fd >= 0 else { return nil }
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            close(fd)
            return nil
        }
        self.fd = fd
        self.digest = digest
        self.hashedFrom = 0
        self.chunkSize = max(chunkSize, 1 << 12)
    }

    deinit { close(fd) }

    /// The bytes at `range` (file offsets, at or after the previous range's and `hashedFrom`); throws `Changed` past
    /// the file's end.
    public func bytes(_ range: Range<Int>) throws -> ArraySlice<UInt8> {
        guard range.lowerBound >= windowStart, range.lowerBound >= hashedFrom else { throw Changed() }
        while windowStart + window.count < range.upperBound {
            // What lies before `range` is passed for good: dropped once per chunk read, not per part.
            let passed = min(range.lowerBound, windowStart + window.count) - windowStart
            window.removeFirst(passed)
            windowStart += passed
            guard try readChunk() else { throw Changed() }
        }
        return window[(range.lowerBound - windowStart)..<(range.upperBound - windowStart)]
    }

    /// Reads and hashes the rest; throws `Changed` unless the whole file hashes to the digest.
    public func finish() throws {
        while try readChunk() {
            windowStart += window.count
            window.removeAll(keepingCapacity: true)
        }
        guard let found = hasher.take()?.hexDigest(), found.utf8.elementsEqual(digest) else { throw Changed() }
    }

    /// Appends the next chunk to the window, hashing what the digest covers; false at the end of the file.
    private func readChunk() throws -> Bool {
        guard !atEnd else { return false }
        let offset = windowStart + window.count
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var count: Int
        repeat {
            count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunkSize) }
        } while count < 0 && errno == EINTR
        guard count >= 0 else { throw Changed() }
        guard count > 0 else {
            atEnd = true
            return false
        }
        let hashed = max(0, hashedFrom - offset)
        if hashed < count { chunk.withUnsafeBytes { hasher?.update(UnsafeRawBufferPointer(rebasing: $0[hashed..<count])) } }
        window.append(contentsOf: chunk[..<count])
        return true
    }
}
