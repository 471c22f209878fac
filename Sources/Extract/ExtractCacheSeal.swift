import ReconCore

/// What vouches that an exact-commit extract cache entry was written by this build of Recon for this state folder:
/// an `auth` member, HMAC-SHA-256 under the folder's `LocalTrustKey` of the build and the entry's checksum (so of
/// the whole entry). It sorts before `checksum`, so both sit at fixed places in front and the moved-commit check
/// still reads a prefix. An entry without it, or whose MAC does not verify (edited, copied from another folder or
/// a CI cache, written by another build), is read exactly as before: checked against its tree, re-read before a write.
struct ExtractCacheSeal {
    static let prefix = Array(#"{"auth":""#.utf8)
    /// Where the checksum member of a sealed entry starts: after the prefix, 64 hex digits and `",`.
    static let checksumOffset = prefix.count + 64 + 2

    let key: LocalTrustKey
    /// `ReconBuild.identity`: another build's extractor may read the same commit differently.
    let build: String

    /// The `auth` member for an entry whose checksum is `checksum`, as `ExtractCacheChecksum.stream` puts it in front.
    func member(for checksum: String) -> [UInt8] {
        Array(#""auth":""#.utf8) + Array(key.mac(message(Array(checksum.utf8))).utf8) + Array(#"","#.utf8)
    }

    /// Where `bytes` hold their checksum member: after the seal when they start with one, else right after `{`.
    static func checksumStart(_ bytes: [UInt8]) -> Int {
        guard bytes.count > checksumOffset, bytes.starts(with: prefix), bytes[checksumOffset - 2] == UInt8(ascii: "\""),
              bytes[checksumOffset - 1] == UInt8(ascii: ",") else { return 1 }
        return checksumOffset
    }

    /// Whether `bytes`, whose checksum verified, carry this folder's seal for this build.
    func vouches(_ bytes: [UInt8]) -> Bool {
        guard Self.checksumStart(bytes) == Self.checksumOffset else { return false }
        let checksum = Self.checksumOffset + ExtractCacheChecksum.member.count
        let mac = String(decoding: bytes[Self.prefix.count..<(Self.checksumOffset - 2)], as: UTF8.self)
        return key.verifies(mac, message(Array(bytes[checksum..<(checksum + 64)])))
    }

    private func message(_ checksum: [UInt8]) -> [UInt8] {
        Array("recon extract cache \(FileExtractCache.formatVersion)\0\(build)\0".utf8) + checksum
    }
}
