import ReconCore

/// An extract cache entry's own checksum: SHA-256 of the entry without its `checksum` member, which (keys
/// sorted) is its first member but for the seal (`ExtractCacheSeal`), at a fixed place. Once it verifies, the
/// records' stored content hashes are trusted instead of re-hashing every record (issue 12); when it does not,
/// the entry is read the slow way.
enum ExtractCacheChecksum {
    static let member = Array(#""checksum":""#.utf8)
    static let prefix = [UInt8(ascii: "{")] + member
    /// The member's length: its name, 64 hex digits and `",`.
    static let memberLength = member.count + 64 + 2
    /// Where the rest of an unsealed entry starts.
    static let bodyOffset = 1 + memberLength

    /// An entry streamed to a file in chunks of about `chunkSize`: the caller writes it to `writer` (canonical JSON whose
    /// first key sorts after "checksum") and calls `drain` between items. Right after its `{` goes a placeholder for the
    /// head (what `header` makes of the checksum: the seal's member, or nothing; then the checksum member); `finish`
    /// returns the real head and where it goes. The bytes patched are the ones `verifies` checks; the entry is never
    /// whole in memory.
    struct Stream: ~Copyable {
        var writer: JSONWriter
        private var hasher = SHA256()
        private var written = 0
        private let chunkSize: Int
        private let headLength: Int

        init(chunkSize: Int, header: (_ checksum: String) -> [UInt8]) {
            writer = JSONWriter(capacity: chunkSize + (1 << 16))
            self.chunkSize = chunkSize
            headLength = header(String(repeating: "0", count: 64)).count + memberLength
        }

        /// Hands what was written to `put` once there is a chunk of it.
        mutating func drain(_ put: ([UInt8]) throws -> Void) throws {
            if writer.bytes.count >= chunkSize { try emit(writer.takeBytes(), put) }
        }

        /// Hands the rest to `put`; the patch is the head and its offset.
        consuming func finish(header: (_ checksum: String) -> [UInt8], _ put: ([UInt8]) throws -> Void) throws -> [(offset: Int, bytes: [UInt8])] {
            try emit(writer.finish(), put)
            precondition(written > 2, "an entry is a non-empty JSON object")
            let expected = headLength
            let checksum = hasher.hexDigest()
            let head = header(checksum) + member + Array(checksum.utf8) + Array(#"","#.utf8)
            precondition(head.count == expected, "the head's length does not depend on the checksum")
            return [(offset: 1, bytes: head)]
        }

        private mutating func emit(_ bytes: [UInt8], _ put: ([UInt8]) throws -> Void) throws {
            guard !bytes.isEmpty else { return }
            // The checksum is of the entry as written, `{` included: the file without its head.
            hasher.update(bytes)
            if written == 0 {
                precondition(bytes[0] == UInt8(ascii: "{"), "an entry is a JSON object")
                try put([UInt8(ascii: "{")] + [UInt8](repeating: UInt8(ascii: " "), count: headLength) + bytes[1...])
            } else {
                try put(bytes)
            }
            written += bytes.count
        }
    }

    /// Whether `bytes` hold, at `start`, a checksum member that matches what follows it.
    static func verifies(_ bytes: [UInt8], at start: Int = 1) -> Bool {
        let end = start + memberLength
        guard bytes.count > end, bytes[start...].starts(with: member),
              bytes[end - 2] == UInt8(ascii: "\""), bytes[end - 1] == UInt8(ascii: ",") else { return false }
        return bytes[(start + member.count)..<(end - 2)].elementsEqual(digest(of: bytes, from: end).utf8)
    }

    /// The hex SHA-256 of `{` followed by `bytes[start...]`: the entry as it was before it was sealed.
    private static func digest(of bytes: [UInt8], from start: Int) -> String {
        var hasher = SHA256()
        hasher.update([UInt8(ascii: "{")])
        bytes.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        return hasher.hexDigest()
    }
}
