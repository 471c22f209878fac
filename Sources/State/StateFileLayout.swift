import ReconCore

/// Where each record of a loaded state file sits in it, for the next write to copy the records the run left as they
/// were instead of encoding them again (issue 12, goal 4). Taken by `StateStore.loadWithLayout` only when the state is
/// exactly the file's bytes (no journal line replayed into it).
///
/// A record is copied only when the state written still holds the very value loaded, bit for bit (`sameValue`: the
/// same id and the same value storage, which copy-on-write keeps shared until it is changed), and when the file, read
/// again while the new one is written, still hashes to `digest`; else the whole state is encoded. The copied bytes are
/// then what the encoder makes of that record only if the file is canonical: the caller vouches for that
/// (`canonical`), e.g. when the digest is the one a write of this build recorded (`DeltaBaseline.stateDigest`).
public struct StateFileLayout: Sendable {
    /// One record as loaded and where its value (the object after its key) is in the file.
    struct Carried: Sendable {
        var key: String
        var record: ManagedRecord
        var range: Range<Int>
    }

    /// SHA-256 (hex) of the file's bytes.
    public let digest: String
    /// Table → the records in file order. A table whose members were not in strictly ascending key order, or repeated
    /// a key, is left out: its records are encoded.
    var tables: [String: [Carried]]
    /// Set by the caller that knows the file is the canonical encoding of its state; nothing is copied without it.
    public var canonical = false
    /// A lean load's (`StateStore.loadLean`): the file's bytes, hashed to `digest`, until `StateStore.decodeValues` has
    /// decoded the records the run needs from them; then let go.
    var bytes: [UInt8]?
    /// Instead of `bytes`: the file, held open while it is unchanged (`HeldFile`), to read those records from.
    var held: HeldFile?

    init(digest: String, tables: [String: [Carried]]) {
        self.digest = digest
        self.tables = tables
    }

    /// The index of `key` in `table`'s records (in ascending key order), if it is there.
    func index(of key: String, in table: String) -> Int? {
        guard let carried = tables[table] else { return nil }
        var low = 0, high = carried.count
        while low < high {
            let middle = (low + high) / 2
            if carried[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low < carried.count && carried[low].key == key ? low : nil
    }

    /// True when `a` and `b` are the same value, storage and all: then they encode to the same bytes. A false answer
    /// only means "encode it" (two equal values made apart, padding bytes), never a wrong copy.
    static func sameValue(_ a: ManagedRecord, _ b: ManagedRecord) -> Bool {
        withUnsafeBytes(of: a) { left in withUnsafeBytes(of: b) { right in left.elementsEqual(right) } }
    }
}
