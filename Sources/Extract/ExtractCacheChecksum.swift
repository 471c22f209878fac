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

    /// `entry`, canonical JSON whose first key sorts after "checksum", with its checksum as the first member, after
    /// what `header` makes of the checksum (the seal's member, or nothing). One copy of the entry.
    static func seal(_ entry: [UInt8], header: (_ checksum: String) -> [UInt8] = { _ in [] }) -> [UInt8] {
        precondition(entry.first == UInt8(ascii: "{") && entry.count > 2, "an entry is a non-empty JSON object")
        let checksum = digest(of: entry, from: 1)
        let head = header(checksum)
        var sealed = [UInt8(ascii: "{")]
        sealed.reserveCapacity(head.count + bodyOffset + entry.count)
        sealed += head
        sealed += member
        sealed += checksum.utf8
        sealed += #"","#.utf8
        sealed += entry[1...]
        return sealed
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
