import ReconCore

/// Reads an extract cache entry whose checksum verified straight from its bytes with `JSONCursor`: no tree of
/// `JSONValue`s and no re-hashing, the two costs of a no-op run's extract stage at 100,000 records (issue 12).
/// Any surprise in the shape is a miss, as on the slow path.
enum VerifiedCacheDecoder {
    /// `keepingRanges` (an entry whose MAC vouched for it, read on from at a moved commit): the entry keeps the bytes
    /// and where each record was read (`CachedExtraction.encoded`), and each record's cells stay undecoded in them
    /// (`EncodedFieldCells`): checked here as their decode would check them, decoded when something reads them.
    /// `encodingCells`: the cells stay in the bytes as with `keepingRanges`, without the ranges.
    /// `held`: each decoded record's cells share the storage of the held copy under its table and key.
    static func decode(_ bytes: [UInt8], repo: String, commit: String, fingerprint: String, keepingRanges: Bool = false,
                       encodingCells: Bool = false, held: HeldCells? = nil) -> CachedExtraction? {
        let kept = keepingRanges || encodingCells ? VerifiedBytes(bytes) : nil
        var cursor = JSONCursor(bytes)
        cursor.interner = ValueInterner()
        var version: Int?, storedRepo: String?, storedCommit: String?, storedFingerprint: String?
        var records: [DesiredRecord]?, diagnostics: [Diagnostic]?, sources: [CachedSource]?
        var ranges: [Range<Int>] = []
        var plainTree = false
        do {
            try cursor.beginObject()
            while let key = try cursor.nextKey() {
                switch key {
                case "commit": storedCommit = try cursor.string()
                case "fingerprint": storedFingerprint = try cursor.string()
                case "format_version": version = try cursor.int()
                case "plain_tree": plainTree = try cursor.bool()
                case "repo": storedRepo = try cursor.string()
                case "records":
                    var items: [DesiredRecord] = []
                    var fieldCount = 0
                    try cursor.beginArray()
                    while try cursor.nextElement() {
                        let start = cursor.offset
                        var item = try record(&cursor, fieldCount: &fieldCount, encodedIn: kept)
                        // Cells left in their bytes stay there: sharing would decode them.
                        if let held, !item.fieldsAreEncoded { item.fields = held.sharing(item.fields, table: item.table, key: item.key) }
                        items.append(item)
                        if keepingRanges { ranges.append(start..<cursor.offset) }
                    }
                    records = items
                case "diagnostics": diagnostics = try list(&cursor, diagnostic)
                case "sources": sources = try list(&cursor, source)
                default: try cursor.skipValue()
                }
            }
            try cursor.finish()
        } catch {
            return nil
        }
        guard version == FileExtractCache.formatVersion, storedRepo == repo, storedCommit == commit,
              storedFingerprint == fingerprint, let records, let diagnostics, let sources else { return nil }
        var entry = CachedExtraction(repo: repo, commit: commit, fingerprint: fingerprint, records: records,
                                     diagnostics: diagnostics, sources: sources)
        entry.plainTree = plainTree
        if let kept, keepingRanges { entry.encoded = EncodedRecords(bytes: kept, ranges: ranges) }
        return entry
    }

    static func list<Element>(_ cursor: inout JSONCursor,
                                      _ element: (inout JSONCursor) throws(JSONDecodeFailure) -> Element)
        throws(JSONDecodeFailure) -> [Element] {
        var items: [Element] = []
        try cursor.beginArray()
        while try cursor.nextElement() { items.append(try element(&cursor)) }
        return items
    }

    /// `fieldCount`: the previous record's, to size this one's fields (grown from empty, they were rehashed four times).
    /// `encodedIn`: the bytes `cursor` reads, kept; the fields are passed over and left there.
    private static func record(_ cursor: inout JSONCursor, fieldCount: inout Int, encodedIn kept: VerifiedBytes?)
        throws(JSONDecodeFailure) -> DesiredRecord {
        var table: String?, key: String?, hash: String?, repo: String?, path: String?, commit: String?
        var fields: FieldCells?, encoded: EncodedFieldCells?
        try cursor.beginObject()
        while let member = try cursor.nextKey() {
            switch member {
            case "table": table = try cursor.string()
            case "key": key = try cursor.string()
            case "content_hash": hash = try cursor.string()
            case "fields" where kept != nil:
                encoded = EncodedFieldCells(source: kept!, range: try cursor.passFieldCells())
            case "fields":
                let cells = try cursor.fieldCells(capacity: fieldCount)
                fieldCount = cells.count
                fields = cells
            case "provenance":
                try cursor.beginObject()
                while let name = try cursor.nextKey() {
                    switch name {
                    case "repo": repo = try cursor.string()
                    case "path": path = try cursor.string()
                    // A few commits for 100,000 records: one string each.
                    case "source_commit":
                        let read = try cursor.string()
                        commit = cursor.interner?.text(read) ?? read
                    default: try cursor.skipValue()
                    }
                }
            default: try cursor.skipValue()
            }
        }
        guard let table, let key, let hash, fields != nil || encoded != nil, let repo, let path, let commit else {
            throw .shape(path: "records", expected: "a record")
        }
        let provenance = Provenance(repo: repo, path: path, sourceCommit: commit)
        if let encoded {
            return DesiredRecord(table: table, key: key, encodedFields: encoded, provenance: provenance, contentHash: hash)
        }
        return DesiredRecord(table: table, key: key, normalizedFields: fields!, provenance: provenance, contentHash: hash)
    }

    static func diagnostic(_ cursor: inout JSONCursor) throws(JSONDecodeFailure) -> Diagnostic {
        var message: String?, severity: Diagnostic.Severity?, hint: String?, file: String?, line: Int?, column: Int?
        try cursor.beginObject()
        while let member = try cursor.nextKey() {
            switch member {
            case "message": message = try cursor.string()
            case "severity": severity = Diagnostic.Severity(rawValue: try cursor.string())
            case "hint": hint = try cursor.string()
            case "file": file = try cursor.string()
            case "line": line = try cursor.int()
            case "column": column = try cursor.int()
            default: try cursor.skipValue()
            }
        }
        guard let message, let severity else { throw .shape(path: "diagnostics", expected: "a diagnostic") }
        var location: SourceLocation?
        if let file, let line, let column { location = SourceLocation(file: file, line: line, column: column) }
        return Diagnostic(severity, at: location, message, hint: hint)
    }

    private static func source(_ cursor: inout JSONCursor) throws(JSONDecodeFailure) -> CachedSource {
        var path: String?, blob: String?
        try cursor.beginObject()
        while let member = try cursor.nextKey() {
            switch member {
            case "path": path = try cursor.string()
            case "blob": blob = try cursor.string()
            default: try cursor.skipValue()
            }
        }
        guard let path, let blob else { throw .shape(path: "sources", expected: "a path and a blob") }
        return CachedSource(path: path, blob: blob)
    }
}
