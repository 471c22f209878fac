import ReconCore

/// The one door to the state's serialized form: canonical JSON (sorted keys, fixed number format),
/// streamed into a byte buffer. Readers dispatch on `version` before they decode the body.
public enum StateCodec {
    /// Why bytes are not a state this recon can read (shared with the other JSON readers that use `JSONCursor`).
    public typealias Failure = JSONDecodeFailure

    // MARK: Encoding

    public static func encode(_ state: StateModel) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(state, chunkSize: .max) { bytes = $0 }
        return bytes
    }

    /// `encode`'s bytes handed to `put` in chunks of about `chunkSize`, so a 100,000-record state (61 MB, grown to
    /// twice that in one buffer) is never whole in memory when it is written (issue 12).
    public static func encode(_ state: StateModel, chunkSize: Int, put: ([UInt8]) throws -> Void) rethrows {
        try encode(state, chunkSize: chunkSize, record: { _, _, record, writer in writeRecord(record, to: &writer) }, put: put)
    }

    /// `encode`, with each record the state holds exactly as `layout` loaded it copied from the file being read again
    /// (`source`, which hashes it on the way; the caller checks it with `finish` before the new file is taken). The
    /// bytes are `encode`'s when the loaded file is canonical (`StateFileLayout.canonical`).
    static func encode(_ state: StateModel, chunkSize: Int, copying layout: StateFileLayout, from source: VerifiedFileReader,
                       put: ([UInt8]) throws -> Void) throws {
        var table: String?
        var carried: [StateFileLayout.Carried] = []
        var next = 0
        try encode(state, chunkSize: chunkSize, keys: { name, records in
            keys(of: records, inOrderOf: layout.tables[name] ?? []) ?? records.keys.sorted()
        }, record: { name, key, record, writer in
            if name != table {
                table = name
                carried = layout.tables[name] ?? []
                next = 0
            }
            // Both in ascending key order: the loaded record of this key, if any, is at or after `next`.
            while next < carried.count, carried[next].key < key { next += 1 }
            if next < carried.count, carried[next].key == key, StateFileLayout.sameValue(carried[next].record, record) {
                writer.encoded(try source.bytes(carried[next].range))
                next += 1
            } else {
                writeRecord(record, to: &writer)
            }
        }, put: put)
    }

    /// The keys of `records` in ascending order taken from the loaded file's (`carried`), when it holds exactly those
    /// keys and is strictly ascending: a check of n - 1 comparisons where a sort of 100,000 keys made ~3% of a 1%
    /// run's samples (issue 12). Nil when a key was added, or the file's order cannot be taken (then they are sorted).
    static func keys(of records: [String: ManagedRecord], inOrderOf carried: [StateFileLayout.Carried]) -> [String]? {
        guard carried.count >= records.count else { return nil }
        var keys: [String] = []
        keys.reserveCapacity(records.count)
        for index in carried.indices {
            if index > 0, !(carried[index - 1].key < carried[index].key) { return nil }
            // The state's own key: it may be the file's in the other normal form (equal as a `String`, not as bytes).
            if let found = records.index(forKey: carried[index].key) { keys.append(records[found].key) }
        }
        // Distinct keys of the file, each one of `records`: as many as it holds means all of them.
        return keys.count == records.count ? keys : nil
    }

    /// The one canonical layout of the file; `keys` lists a table's keys in ascending order, `record` writes the value
    /// of one record (table, key, record).
    private static func encode(_ state: StateModel, chunkSize: Int,
                               keys orderedKeys: (String, [String: ManagedRecord]) -> [String] = { $1.keys.sorted() },
                               record writeValue: (String, String, ManagedRecord, inout JSONWriter) throws -> Void,
                               put: ([UInt8]) throws -> Void) rethrows {
        var writer = JSONWriter(pretty: true, capacity: 256 + min(state.recordCount * 256, chunkSize))
        writer.beginObject()
        writer.field("lineage", state.lineage)
        writer.key("records")
        writer.beginObject()
        for table in state.records.keys.sorted() {
            let records = state.records[table]!
            writer.key(table)
            writer.beginObject()
            for key in orderedKeys(table, records) {
                writer.key(key)
                try writeValue(table, key, records[key]!, &writer)
                if writer.bytes.count >= chunkSize { try put(writer.takeBytes()) }
            }
            writer.endObject()
        }
        writer.endObject()
        writer.key("repos")
        writer.beginObject()
        for name in state.repos.keys.sorted() {
            writer.key(name)
            writer.beginObject()
            writer.field("commit", state.repos[name]!.commit)
            writer.endObject()
        }
        writer.endObject()
        writer.field("serial", state.serial)
        writer.key("tables")
        writer.beginObject()
        for name in state.tables.keys.sorted() {
            writer.key(name)
            writeTable(state.tables[name]!, to: &writer)
        }
        writer.endObject()
        writer.field("target", state.target)
        writer.field("version", state.version)
        writer.endObject()
        try put(writer.finish())
    }

    /// One managed record as canonical JSON (its table, key, id and values), for `recon state show`.
    public static func encodeRecord(_ record: ManagedRecord, table: String, key: String) -> [UInt8] {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        if !record.adopted.isEmpty {
            writer.key("adopted")
            writer.fieldValues(record.adopted)
        }
        writer.field("id", record.id)
        writer.field("key", key)
        writer.field("table", table)
        writer.key("values")
        writer.fieldValues(record.values)
        writer.endObject()
        return writer.finish()
    }

    static func writeRecord(_ record: ManagedRecord, to writer: inout JSONWriter) {
        writer.beginObject()
        if !record.adopted.isEmpty {
            writer.key("adopted")
            writer.fieldValues(record.adopted)
        }
        writer.field("id", record.id)
        writer.key("values")
        writer.fieldValues(record.values)
        writer.endObject()
    }

    static func writeTable(_ table: TableState, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("fields")
        writer.beginObject()
        for name in table.fields.keys.sorted() { writer.field(name, table.fields[name]!) }
        writer.endObject()
        writer.field("id", table.id)
        writer.endObject()
    }

    // MARK: Decoding

    /// Header first: one pass finds `version` (checking the syntax of everything), and only then
    /// is the body decoded by the reader for that version. The common case, a version 1 state that
    /// reads whole, is decoded in one pass; anything else takes the header-first path for its error.
    /// With `valuesOf`, only those records (table → keys) keep their values; the others come with their ids alone.
    public static func decode(_ bytes: [UInt8], valuesOf kept: [String: Set<String>]? = nil) throws(Failure) -> StateModel {
        var layout: [String: [StateFileLayout.Carried]]?
        return try decode(bytes, valuesOf: kept, layout: &layout)
    }

    /// `decode`, listing where each record is in `bytes` when `layout` is not nil (`StateFileLayout`).
    static func decode(_ bytes: [UInt8], valuesOf kept: [String: Set<String>]?,
                       layout: inout [String: [StateFileLayout.Carried]]?) throws(Failure) -> StateModel {
        var found: Int?
        let wanted = layout
        if let state = try? StateDecoderV1.decode(bytes, version: &found, valuesOf: kept, layout: &layout), found == 1 { return state }
        layout = wanted
        switch try version(of: bytes) {
        case 1: return try StateDecoderV1.decode(bytes, version: &found, valuesOf: kept, layout: &layout)
        case let version: throw .newerVersion(version)
        }
    }

    /// The lean decode (`StateStore.loadLean`): every record with its id alone, listed in `layout` with its range; a
    /// document of another version than 1 is decoded whole. A table whose keys do not ascend strictly is refused.
    static func decodeLean(_ bytes: [UInt8], layout: inout [String: [StateFileLayout.Carried]]?) throws(Failure) -> StateModel {
        var found: Int?
        var listed: [String: [StateFileLayout.Carried]]? = [:]
        var state = try StateDecoderV1.decode(bytes, version: &found, layout: &listed, lean: true)
        guard found == 1 else { return try decode(bytes, valuesOf: nil, layout: &layout) }
        layout = listed
        state.isPartial = state.records.values.contains { !$0.isEmpty }
        return state
    }

    /// One record's value at `range` of `bytes` (where a lean decode found it), read as strictly as a whole decode reads it.
    static func decodeRecord(_ bytes: [UInt8], at range: Range<Int>) throws(Failure) -> ManagedRecord {
        var cursor = JSONCursor(bytes, at: range.lowerBound)
        let record = try StateDecoderV1.record(&cursor)
        guard cursor.offset == range.upperBound else { throw .shape(path: "", expected: "one record object") }
        return record
    }

    static func version(of bytes: [UInt8]) throws(Failure) -> Int {
        var cursor = JSONCursor(bytes)
        var version: Int?
        try cursor.beginObject()
        while let key = try cursor.nextKey() {
            if key == "version" { version = try cursor.int() } else { try cursor.skipValue() }
        }
        try cursor.finish()
        guard let version, version >= 1 else { throw .shape(path: "version", expected: "a format version number") }
        return version
    }
}

extension StateCodec.Failure {
    /// The same failure, saying which entry it was found in.
    func within(_ path: String) -> StateCodec.Failure {
        switch self {
        case .syntax(let line, let column, let message): .syntax(line: line, column: column, message: "\(message) (in '\(path)')")
        case .shape(let inner, let expected): .shape(path: "\(path).\(inner)", expected: expected)
        case .newerVersion: self
        }
    }
}
