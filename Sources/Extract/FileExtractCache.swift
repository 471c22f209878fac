import Foundation
import ReconCore

/// The extract cache as canonical JSON files per repo under `state/cache/extract/`: `<repo>.json`
/// holds the final records (the exact-commit fast path) and `<repo>.files.json` the per-file
/// results (incremental reuse when the commit moves), so a no-op run never parses the larger one.
/// A file that cannot be read or parsed is a miss, never an error: the repo is simply read again.
/// An entry whose records were all read from the repo carries the state folder's seal (`ExtractCacheSeal`).
public struct FileExtractCache: ExtractCache {
    public let directory: String
    private let stateDirectory: String
    private let build: String
    /// Copies of the records already held (the state's): a verified entry's records share their storage.
    public var held: HeldCells?
    /// True: a sealed entry's records keep their cells in the entry's verified bytes until something reads them
    /// (`EncodedFieldCells`), for a caller that reads few (the delta plan): decoded, 100,000 records' cells sat beside
    /// the lean state and its bytes at that plan's peak (issue 12).
    public var leavesCellsEncoded = false

    /// 2: keys, roots and `$dir` split at `/` bytes (fix/byte-paths); entries of 1 may hold the old split.
    public static let formatVersion = 2
    public static let subdirectory = "cache/extract"

    /// `build` is the one whose seals are taken at their word: this one, but for tests of another.
    public init(stateDirectory: String, build: String = ReconBuild.identity) {
        directory = (stateDirectory as NSString).appendingPathComponent(FileExtractCache.subdirectory)
        self.stateDirectory = stateDirectory
        self.build = build
    }

    /// Without `held`: the state's records it reads are not kept alive by a store on another core.
    public var forStoring: any ExtractCache {
        var copy = self
        copy.held = nil
        return copy
    }

    /// False when the cache folder (or `cache`) is a symlink: then the cache is not used, neither read nor written.
    private var usable: Bool { StateFolderGuard.isPlain(directory, below: stateDirectory) }

    public func path(for repo: String) -> String {
        (directory as NSString).appendingPathComponent(repo + ".json")
    }

    /// Where the per-file results of `repo` are kept.
    public func filesPath(for repo: String) -> String {
        (directory as NSString).appendingPathComponent(repo + ".files.json")
    }

    public func load(repo: String, commit: String, fingerprint: String) -> CachedExtraction? {
        load(repo: repo, commit: commit, fingerprint: fingerprint, vouchedOnly: false)
    }

    /// The entry only when it carries this folder's seal for this build; any other is a miss, and not decoded.
    public func loadVouched(repo: String, commit: String, fingerprint: String) -> CachedExtraction? {
        load(repo: repo, commit: commit, fingerprint: fingerprint, vouchedOnly: true)
    }

    /// The entry this folder sealed for this build, at whatever commit it was made: what `RepoExtractor.delta` reads a
    /// moved commit from. Any other entry is a miss.
    public func loadSealed(repo: String, fingerprint: String) -> CachedExtraction? {
        guard let bytes = contents(repo), ExtractCacheSeal.checksumStart(bytes) == ExtractCacheSeal.checksumOffset else { return nil }
        let start = ExtractCacheSeal.checksumOffset + ExtractCacheChecksum.memberLength
        let member = Array(#""commit":""#.utf8)
        guard bytes.count > start + member.count, bytes[start...].starts(with: member),
              let end = bytes[(start + member.count)...].prefix(80).firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        let commit = String(decoding: bytes[(start + member.count)..<end], as: UTF8.self)
        return load(bytes, repo: repo, commit: commit, fingerprint: fingerprint, vouchedOnly: true, keepingRanges: true)
    }

    /// Only once this folder has its key: a state folder restored without it (a CI cache) makes a new one each run, so
    /// the entry it seals is never read on from, and a full read would only cost more than the per-file path.
    public var sealsEntries: Bool { seal(makingKey: false) != nil }

    /// The entry's bytes, read straight into the array (through `Data`, 71 MB at 100,000 records were copied once more);
    /// with `limit`, at most its first `limit` bytes. Nil when there is no file, or it is empty.
    private func contents(_ repo: String, limit: Int = .max) -> [UInt8]? {
        guard usable else { return nil }
        let fd = open(path(for: repo), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: min(Int(info.st_size), limit))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            guard count > 0 else { break }
            filled += count
        }
        // A file that grew while it was read is taken as far as its size said; one cut short, as far as it went.
        bytes.removeSubrange(filled...)
        return bytes.isEmpty ? nil : bytes
    }

    private func load(repo: String, commit: String, fingerprint: String, vouchedOnly: Bool) -> CachedExtraction? {
        // An entry of another commit (a moved one, read on from the sealed entry) is a miss from its first bytes: the whole
        // file is read only when they name this commit (issue 12).
        guard let head = contents(repo, limit: 1 << 12), Self.opens(head, withCommit: commit) else { return nil }
        return contents(repo).flatMap { load($0, repo: repo, commit: commit, fingerprint: fingerprint, vouchedOnly: vouchedOnly) }
    }

    /// Whether the entry's first member after its seal and checksum (keys are written sorted) is `commit`'s.
    private static func opens(_ bytes: [UInt8], withCommit commit: String) -> Bool {
        let start = ExtractCacheSeal.checksumStart(bytes)
        let body = bytes[start...].starts(with: ExtractCacheChecksum.member) ? min(start + ExtractCacheChecksum.memberLength, bytes.count) : start
        return bytes[body...].starts(with: Array(#""commit":"\#(commit)""#.utf8))
    }

    /// `keepingRanges` (a sealed entry only): what `store` needs to copy carried records from the file.
    private func load(_ bytes: [UInt8], repo: String, commit: String, fingerprint: String, vouchedOnly: Bool,
                      keepingRanges: Bool = false) -> CachedExtraction? {
        // Keys are written sorted, so an entry of this commit starts with it (after its seal and checksum): a moved
        // commit is a miss without parsing the records.
        let start = ExtractCacheSeal.checksumStart(bytes)
        if vouchedOnly, start != ExtractCacheSeal.checksumOffset { return nil }
        guard Self.opens(bytes, withCommit: commit) else { return nil }
        let verified = ExtractCacheChecksum.verifies(bytes, at: start)
        let vouched = verified && start == ExtractCacheSeal.checksumOffset && seal(makingKey: false)?.vouches(bytes) == true
        if vouchedOnly, !vouched { return nil }
        guard verified else { return loadUnverified(bytes, repo: repo, commit: commit, fingerprint: fingerprint) }
        var entry = VerifiedCacheDecoder.decode(bytes, repo: repo, commit: commit, fingerprint: fingerprint,
                                                keepingRanges: keepingRanges && vouched, encodingCells: leavesCellsEncoded && vouched,
                                                held: held)
        entry?.vouched = vouched
        return entry
    }

    /// The seal of this folder's trust key: the key is read when it exists and made when an entry is stored, so a run
    /// that stores nothing writes nothing. Nil when the key cannot be had (then nothing is sealed or vouched for).
    private func seal(makingKey: Bool) -> ExtractCacheSeal? {
        let keyPath = (stateDirectory as NSString).appendingPathComponent(LocalTrustKey.fileName)
        guard makingKey || FileManager.default.fileExists(atPath: keyPath),
              let key = try? LocalTrustKey.load(stateDirectory: stateDirectory) else { return nil }
        return ExtractCacheSeal(key: key, build: build)
    }

    /// An entry without a checksum that verifies (written by hand, edited, or older): every record is re-hashed.
    private func loadUnverified(_ bytes: [UInt8], repo: String, commit: String, fingerprint: String) -> CachedExtraction? {
        guard let json = try? JSONParser.parse(bytes),
              json["format_version"]?.intValue == FileExtractCache.formatVersion,
              json["repo"]?.stringValue == repo, json["commit"]?.stringValue == commit,
              json["fingerprint"]?.stringValue == fingerprint,
              let records = json["records"]?.arrayValue, let diagnostics = json["diagnostics"]?.arrayValue,
              let sources = json["sources"]?.arrayValue  // absent in entries written before issue 14: a miss
        else { return nil }
        let decoded = records.compactMap(RecordCoding.record)
        let decodedSources = sources.compactMap { source in
            source["path"]?.stringValue.flatMap { path in source["blob"]?.stringValue.map { CachedSource(path: path, blob: $0) } }
        }
        guard decoded.count == records.count, decodedSources.count == sources.count else { return nil }
        return CachedExtraction(repo: repo, commit: commit, fingerprint: fingerprint, records: decoded,
                                diagnostics: diagnostics.compactMap(Diagnostic.init(json:)), sources: decodedSources)
    }

    /// Written to a temporary file and renamed, so a crash never leaves half an entry; private like the state.
    /// Sealed when `extraction.vouched`. The records `extraction.encoded` covers are copied from the bytes loaded. Streamed in
    /// chunks of about `chunkSize`: encoded whole and then sealed into a second buffer, a 100,000-record entry held ~170 MB at the peak of a cold extraction (issue 12).
    public func store(_ extraction: CachedExtraction) throws {
        try store(extraction, chunkSize: 1 << 20)
    }

    func store(_ extraction: CachedExtraction, chunkSize: Int) throws {
        guard usable else { return }
        // The key is made for an unsealed entry too: a folder whose key was deleted reads in full at its next run.
        let folderSeal = seal(makingKey: true)
        let seal = extraction.vouched ? folderSeal : nil
        let header = { (checksum: String) in seal?.member(for: checksum) ?? [] }
        try writing { try PrivateFile.writePatched(to: path(for: extraction.repo)) { put in
            var stream = ExtractCacheChecksum.Stream(chunkSize: chunkSize, header: header)
            stream.writer.beginObject()
            stream.writer.field("commit", extraction.commit)
            stream.writer.key("diagnostics")
            stream.writer.beginArray()
            for diagnostic in extraction.diagnostics { diagnostic.write(to: &stream.writer) }
            stream.writer.endArray()
            stream.writer.field("fingerprint", extraction.fingerprint)
            stream.writer.field("format_version", FileExtractCache.formatVersion)
            if extraction.plainTree { stream.writer.field("plain_tree", true) }
            stream.writer.key("records")
            stream.writer.beginArray()
            let encoded = extraction.encoded
            for range in encoded?.ranges ?? [] {
                stream.writer.encoded(encoded!.bytes.bytes[range])
                try stream.drain(put)
            }
            let copied = encoded.map { $0.recordsLetGo ? 0 : $0.ranges.count } ?? 0
            for record in extraction.records.dropFirst(copied) {
                RecordCoding.write(record, to: &stream.writer)
                try stream.drain(put)
            }
            stream.writer.endArray()
            stream.writer.field("repo", extraction.repo)
            stream.writer.key("sources")
            stream.writer.beginArray()
            for source in extraction.sources {
                stream.writer.beginObject()
                stream.writer.field("blob", source.blob)
                stream.writer.field("path", source.path)
                stream.writer.endObject()
                try stream.drain(put)
            }
            stream.writer.endArray()
            stream.writer.endObject()
            return try stream.finish(header: header, put)
        } }
    }

    public func loadFiles(repo: String, fingerprint: String) -> CachedFiles? {
        guard usable, let data = FileManager.default.contents(atPath: filesPath(for: repo)) else { return nil }
        return FilesCacheDecoder.decode([UInt8](data), repo: repo, fingerprint: fingerprint)
    }

    /// Streamed like `store`: the per-file results are the largest file of the cache. Written aside (`PreparedFile`).
    public func prepareFiles(_ files: CachedFiles) throws -> PreparedFile? {
        guard usable else { return nil }
        let chunkSize = 1 << 20
        let prepared = try writing { try PrivateFile.prepare(filesPath(for: files.repo)) { put in
            var writer = JSONWriter(capacity: chunkSize + (1 << 16))
            writer.beginObject()
            writer.field("commit", files.commit)
            writer.key("files")
            writer.beginArray()
            for file in files.files {
                FileCoding.write(file, to: &writer)
                if writer.bytes.count >= chunkSize { try put(writer.takeBytes()) }
            }
            writer.endArray()
            writer.field("fingerprint", files.fingerprint)
            writer.field("format_version", FileExtractCache.formatVersion)
            writer.field("repo", files.repo)
            writer.endObject()
            try put(writer.finish())
        } }
        prepared.failureContext = "cannot write the extract cache"
        return prepared
    }

    /// `write`'s errors as the cache's.
    private func writing<Written>(_ write: () throws -> Written) throws -> Written {
        do {
            return try write()
        } catch let error as ReconError {
            throw ReconError("cannot write the extract cache: \(error.message)")
        }
    }
}

/// The JSON form of per-file results; keys written sorted, so the bytes are canonical. `FilesCacheDecoder` reads it.
enum FileCoding {
    /// A file read back unchanged is copied as the bytes it was read from.
    static func write(_ file: CachedFile, to writer: inout JSONWriter) {
        if let encoded = file.encoded { return writer.encoded(encoded) }
        writer.beginObject()
        writer.field("blob", file.blob)
        writer.field("commit", file.sourceCommit)
        writer.key("diagnostics")
        writer.beginArray()
        for diagnostic in file.diagnostics { diagnostic.write(to: &writer) }
        writer.endArray()
        writer.key("entities")
        writer.beginArray()
        for entity in file.entities { write(entity, to: &writer) }
        writer.endArray()
        writer.field("path", file.path)
        writer.endObject()
    }

    private static func write(_ entity: CachedEntity, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("fields")
        writer.fieldValues(entity.fields)
        writer.field("key", entity.key)
        writer.key("links")
        writer.beginArray()
        for link in entity.links {
            writer.beginObject()
            if let candidates = link.candidates {
                writer.key("candidates")
                writer.beginArray()
                for candidate in candidates { writer.string(candidate) }
                writer.endArray()
            }
            writer.field("column", link.location.column)
            writer.field("field", link.field)
            writer.field("file", link.location.file)
            writer.field("line", link.location.line)
            writer.field("table", link.table)
            writer.endObject()
        }
        writer.endArray()
        if let root = entity.root { writer.field("root", root) }
        writer.field("rule", entity.rule)
        writer.endObject()
    }
}
