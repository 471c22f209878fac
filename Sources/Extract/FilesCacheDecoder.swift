import ReconCore

/// Reads a repo's per-file results (`<repo>.files.json`) straight from its bytes with `JSONCursor`, keeping each
/// file's own bytes so an unchanged file is written back by copying them: at 100,000 files a tree of `JSONValue`s
/// and re-encoding every entry were most of a 1% change's extract stage (issue 12). Any surprise in the shape is a
/// miss (the repo is read in full); no checksum is needed, as nothing here is trusted more than the tree made it.
enum FilesCacheDecoder {
    static func decode(_ bytes: [UInt8], repo: String, fingerprint: String) -> CachedFiles? {
        var cursor = JSONCursor(bytes)
        cursor.interner = ValueInterner()
        var version: Int?, storedRepo: String?, commit: String?, storedFingerprint: String?, files: [CachedFile]?
        do {
            try cursor.beginObject()
            while let key = try cursor.nextKey() {
                switch key {
                case "commit": commit = try cursor.string()
                case "fingerprint": storedFingerprint = try cursor.string()
                case "format_version": version = try cursor.int()
                case "repo": storedRepo = try cursor.string()
                case "files":
                    var decoded: [CachedFile] = []
                    try cursor.beginArray()
                    while try cursor.nextElement() {
                        let start = cursor.offset
                        var entry = try file(&cursor)
                        entry.encoded = bytes[start..<cursor.offset]
                        decoded.append(entry)
                    }
                    files = decoded
                default: try cursor.skipValue()
                }
            }
            try cursor.finish()
        } catch {
            return nil
        }
        guard version == FileExtractCache.formatVersion, storedRepo == repo, storedFingerprint == fingerprint,
              let commit, let files else { return nil }
        return CachedFiles(repo: repo, commit: commit, fingerprint: fingerprint, files: files)
    }

    private static func file(_ cursor: inout JSONCursor) throws(JSONDecodeFailure) -> CachedFile {
        var path: String?, blob: String?, commit: String?, diagnostics: [Diagnostic]?, entities: [CachedEntity]?
        try cursor.beginObject()
        while let member = try cursor.nextKey() {
            switch member {
            case "path": path = try cursor.string()
            case "blob": blob = try cursor.string()
            case "commit": commit = try cursor.string()
            case "diagnostics": diagnostics = try VerifiedCacheDecoder.list(&cursor, VerifiedCacheDecoder.diagnostic)
            case "entities": entities = try VerifiedCacheDecoder.list(&cursor, entity)
            default: try cursor.skipValue()
            }
        }
        guard let path, let blob, let commit, let diagnostics, let entities else { throw .shape(path: "files", expected: "a file") }
        return CachedFile(path: path, blob: blob, sourceCommit: commit, diagnostics: diagnostics, entities: entities)
    }

    private static func entity(_ cursor: inout JSONCursor) throws(JSONDecodeFailure) -> CachedEntity {
        var rule: Int?, key: String?, root: String?, fields: FieldCells?, links: [CachedLink]?
        try cursor.beginObject()
        while let member = try cursor.nextKey() {
            switch member {
            case "rule": rule = try cursor.int()
            case "key": key = try cursor.string()
            case "root": root = try cursor.string()
            case "fields":
                var values = FieldCells.Builder()
                try cursor.beginObject()
                while let name = try cursor.nextKey() {
                    // A null is no value the writer ever wrote.
                    guard let value = try cursor.fieldValue() else { throw .shape(path: "fields", expected: "a value") }
                    values.append(name, value)
                }
                fields = values.cells()
            case "links": links = try VerifiedCacheDecoder.list(&cursor, link)
            default: try cursor.skipValue()
            }
        }
        guard let rule, let key, let fields, let links else { throw .shape(path: "entities", expected: "an entity") }
        return CachedEntity(rule: rule, key: key, root: root, fields: fields, links: links)
    }

    private static func link(_ cursor: inout JSONCursor) throws(JSONDecodeFailure) -> CachedLink {
        var field: String?, table: String?, file: String?, line: Int?, column: Int?, candidates: [String]?
        try cursor.beginObject()
        while let member = try cursor.nextKey() {
            switch member {
            case "field": field = try cursor.string()
            case "table": table = try cursor.string()
            case "file": file = try cursor.string()
            case "line": line = try cursor.int()
            case "column": column = try cursor.int()
            case "candidates": candidates = try VerifiedCacheDecoder.list(&cursor) { (cursor: inout JSONCursor) throws(JSONDecodeFailure) in try cursor.string() }
            default: try cursor.skipValue()
            }
        }
        guard let field, let table, let file, let line, let column else { throw .shape(path: "links", expected: "a link") }
        return CachedLink(field: field, table: table, candidates: candidates, location: SourceLocation(file: file, line: line, column: column))
    }
}
