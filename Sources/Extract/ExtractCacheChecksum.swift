import ReconCore

/// An extract cache entry's own checksum: SHA-256 of the entry without its `checksum` member, which (keys
/// sorted) is its first member, at a fixed place. Once it verifies, the records' stored content hashes are
/// trusted instead of re-hashing every record (issue 12); when it does not, the entry is read the slow way.
enum ExtractCacheChecksum {
    static let prefix = Array(#"{"checksum":""#.utf8)
    /// Where the rest of the entry starts: after the prefix, 64 hex digits and `",`.
    static let bodyOffset = prefix.count + 64 + 2

    /// `entry`, canonical JSON whose first key sorts after "checksum", with its checksum as the first member.
    static func seal(_ entry: [UInt8]) -> [UInt8] {
        precondition(entry.first == UInt8(ascii: "{") && entry.count > 2, "an entry is a non-empty JSON object")
        var sealed = prefix
        sealed.reserveCapacity(bodyOffset + entry.count)
        sealed += digest(of: entry, from: 1).utf8
        sealed += #"","#.utf8
        sealed += entry[1...]
        return sealed
    }

    /// Whether `bytes` start with a checksum member that matches the rest of them.
    static func verifies(_ bytes: [UInt8]) -> Bool {
        guard bytes.count > bodyOffset, bytes.starts(with: prefix),
              bytes[bodyOffset - 2] == UInt8(ascii: "\""), bytes[bodyOffset - 1] == UInt8(ascii: ",") else { return false }
        let stored = bytes[prefix.count..<(bodyOffset - 2)]
        return stored.elementsEqual(digest(of: bytes, from: bodyOffset).utf8)
    }

    /// The hex SHA-256 of `{` followed by `bytes[start...]`: the entry as it was before it was sealed.
    private static func digest(of bytes: [UInt8], from start: Int) -> String {
        var hasher = SHA256()
        hasher.update([UInt8(ascii: "{")])
        bytes.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        return hasher.hexDigest()
    }
}
