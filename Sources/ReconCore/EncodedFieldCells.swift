import Foundation

/// The bytes of a file whose checksum and MAC verified (a sealed extract cache entry), held once and shared by every
/// record read from it: a record carried unchanged keeps where its cells are instead of their values (issue 12, goal 4).
/// Immutable, so what a record decodes or a writer copies later is exactly what was verified.
public final class VerifiedBytes: @unchecked Sendable {
    public let bytes: [UInt8]
    /// Guards the cells the records of these bytes decoded (`EncodedFieldCells.cells`).
    fileprivate let lock = NSLock()

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }
}

/// A record's cells still as the JSON object they were read past in `VerifiedBytes`, decoded on first use and kept:
/// the delta extract carries 99% of its records to places that read only their table, key and provenance (the sort,
/// the delta plan's keys, link resolution, the next entry, which copies their bytes).
public final class EncodedFieldCells: @unchecked Sendable {
    public let source: VerifiedBytes
    /// The fields object, `{` to `}`.
    public let range: Range<Int>
    /// Set once, under `source.lock`.
    private var decoded: FieldCells?

    public init(source: VerifiedBytes, range: Range<Int>) {
        self.source = source
        self.range = range
    }

    /// The cells, as `JSONCursor.fieldCells` reads them. The bytes verified when the entry was loaded and their syntax
    /// was checked then, so a failure here is a forged MAC or a bug: it stops the process rather than answer with
    /// anything but the cells the bytes hold.
    public var cells: FieldCells {
        source.lock.lock()
        defer { source.lock.unlock() }
        if let decoded { return decoded }
        let cells = decode()
        decoded = cells
        return cells
    }

    /// The cells without keeping them, for a reader that reads each record once (`recon extract`'s output): 99,000
    /// decoded records kept beside the bytes they came from were +36 MB at 100k.
    public var transientCells: FieldCells {
        source.lock.lock()
        let kept = decoded
        source.lock.unlock()
        return kept ?? decode()
    }

    /// Whether `cells` decoded and kept them.
    public var isDecoded: Bool {
        source.lock.lock()
        defer { source.lock.unlock() }
        return decoded != nil
    }

    private func decode() -> FieldCells {
        var cursor = JSONCursor(source.bytes, at: range.lowerBound)
        do {
            let cells = try cursor.fieldCells()
            guard cursor.offset == range.upperBound else { throw cursor.failure("the fields object ends elsewhere") }
            return cells
        } catch {
            fatalError("a verified extract cache entry holds malformed fields at bytes \(range): \(error)")
        }
    }
}

extension JSONCursor {
    /// A fields object (`RecordCoding.write`'s `fields`): names in any order and repeated as `FieldCells.Builder` takes
    /// them, values as `fieldValue()` reads them. `capacity`: a guess at the count, so the builder is sized once.
    public mutating func fieldCells(capacity: Int = 0) throws(JSONDecodeFailure) -> FieldCells {
        var values = FieldCells.Builder(capacity: capacity)
        try beginObject()
        while let name = try nextKey() { values.assign(name, try fieldValue()) }
        return values.cells()
    }
}
