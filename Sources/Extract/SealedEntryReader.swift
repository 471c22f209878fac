import ReconCore

/// Reads a sealed records entry again, front to back, while the next entry is written from it (`EncodedRecords`): the
/// carried records' bytes come from here a chunk at a time, and every byte the checksum covers is hashed on the way.
/// `finish` throws `Changed` unless the file still hashes to the checksum that was verified (with the MAC) when its
/// records were decoded, so nothing copied can differ from what was loaded; the store then encodes every record.
/// The state file's write reads its old file the same way (`VerifiedFileReader`).
typealias SealedEntryReader = VerifiedFileReader

extension VerifiedFileReader {
    /// Where the checksummed part of a sealed entry starts: after the seal and the checksum member.
    static let bodyOffset = ExtractCacheSeal.checksumOffset + ExtractCacheChecksum.memberLength

    /// The entry at `path`, whose checksum (64 hex digits) covers `{` and the bytes from `bodyOffset` on. Nil when the
    /// file cannot be opened (then every record is encoded).
    convenience init?(path: String, checksum: [UInt8], chunkSize: Int) {
        self.init(path: path, digest: checksum, hashedFrom: Self.bodyOffset, prefix: [UInt8(ascii: "{")], chunkSize: chunkSize)
    }
}
