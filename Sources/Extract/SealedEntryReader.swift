import Foundation
import ReconCore

/// Reads a sealed records entry again, front to back, while the next entry is written from it (`EncodedRecords`): the
/// carried records' bytes come from here a chunk at a time, and every byte the checksum covers is hashed on the way.
/// `finish` throws `Changed` unless the file still hashes to the checksum that was verified (with the MAC) when its
/// records were decoded, so nothing copied can differ from what was loaded; the store then encodes every record.
final class SealedEntryReader {
    struct Changed: Error {}

    /// Where the checksummed part of a sealed entry starts: after the seal and the checksum member.
    static let bodyOffset = ExtractCacheSeal.checksumOffset + ExtractCacheChecksum.memberLength

    private let fd: Int32
    private let checksum: [UInt8]
    private let chunkSize: Int
    /// Taken by `finish`.
    private var hasher: SHA256? = SHA256()
    /// Bytes read and not yet passed, from file offset `windowStart`.
    private var window: [UInt8] = []
    private var windowStart = 0
    private var atEnd = false

    /// Nil when the file cannot be opened (then every record is encoded).
    init?(path: String, checksum: [UInt8], chunkSize: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.checksum = checksum
        self.chunkSize = max(chunkSize, 1 << 12)
        hasher?.update([UInt8(ascii: "{")])
    }

    deinit { close(fd) }

    /// The bytes at `range` (file offsets, at or after the previous range's); throws `Changed` past the file's end.
    func bytes(_ range: Range<Int>) throws -> ArraySlice<UInt8> {
        guard range.lowerBound >= windowStart, range.lowerBound >= Self.bodyOffset else { throw Changed() }
        while windowStart + window.count < range.upperBound {
            // What lies before `range` is passed for good: dropped once per chunk read, not per record.
            let passed = min(range.lowerBound, windowStart + window.count) - windowStart
            window.removeFirst(passed)
            windowStart += passed
            guard try readChunk() else { throw Changed() }
        }
        return window[(range.lowerBound - windowStart)..<(range.upperBound - windowStart)]
    }

    /// Reads and hashes the rest; throws `Changed` unless the whole file hashes to the checksum.
    func finish() throws {
        while try readChunk() {
            windowStart += window.count
            window.removeAll(keepingCapacity: true)
        }
        guard let digest = hasher.take()?.hexDigest(), digest.utf8.elementsEqual(checksum) else { throw Changed() }
    }

    /// Appends the next chunk to the window, hashing what the checksum covers; false at the end of the file.
    private func readChunk() throws -> Bool {
        guard !atEnd else { return false }
        let offset = windowStart + window.count
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunkSize) }
        guard count >= 0 else { throw Changed() }
        guard count > 0 else {
            atEnd = true
            return false
        }
        let hashed = max(0, Self.bodyOffset - offset)
        if hashed < count { chunk.withUnsafeBytes { hasher?.update(UnsafeRawBufferPointer(rebasing: $0[hashed..<count])) } }
        window.append(contentsOf: chunk[..<count])
        return true
    }
}
