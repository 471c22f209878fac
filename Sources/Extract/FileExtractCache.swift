import Foundation
import ReconCore

/// The extract cache as one canonical JSON file per repo under `state/cache/extract/`.
/// A file that cannot be read or parsed is a miss, never an error: the repo is simply read again.
public struct FileExtractCache: ExtractCache {
    public let directory: String

    public static let formatVersion = 1
    public static let subdirectory = "cache/extract"

    public init(stateDirectory: String) {
        directory = (stateDirectory as NSString).appendingPathComponent(FileExtractCache.subdirectory)
    }

    public func path(for repo: String) -> String {
        (directory as NSString).appendingPathComponent(repo + ".json")
    }

    public func load(repo: String, commit: String, fingerprint: String) -> CachedExtraction? {
        guard let data = FileManager.default.contents(atPath: path(for: repo)),
              let json = try? JSONParser.parse([UInt8](data)),
              json["format_version"]?.intValue == FileExtractCache.formatVersion,
              json["repo"]?.stringValue == repo, json["commit"]?.stringValue == commit,
              json["fingerprint"]?.stringValue == fingerprint,
              let records = json["records"]?.arrayValue, let diagnostics = json["diagnostics"]?.arrayValue
        else { return nil }
        let decoded = records.compactMap(RecordCoding.record)
        guard decoded.count == records.count else { return nil }
        return CachedExtraction(repo: repo, commit: commit, fingerprint: fingerprint, records: decoded,
                                diagnostics: diagnostics.compactMap(Diagnostic.init(json:)))
    }

    /// Written to a temporary file and renamed, so a crash never leaves half an entry.
    public func store(_ extraction: CachedExtraction) throws {
        var writer = JSONWriter(capacity: 256 * max(extraction.records.count, 1))
        writer.beginObject()
        writer.field("commit", extraction.commit)
        writer.key("diagnostics")
        writer.beginArray()
        for diagnostic in extraction.diagnostics { diagnostic.write(to: &writer) }
        writer.endArray()
        writer.field("fingerprint", extraction.fingerprint)
        writer.field("format_version", FileExtractCache.formatVersion)
        writer.key("records")
        writer.beginArray()
        for record in extraction.records { RecordCoding.write(record, to: &writer) }
        writer.endArray()
        writer.field("repo", extraction.repo)
        writer.endObject()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let target = path(for: extraction.repo)
        let temporary = target + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        try Data(writer.finish()).write(to: URL(fileURLWithPath: temporary))
        if rename(temporary, target) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ReconError("cannot write the extract cache '\(target)': \(String(cString: strerror(errno)))")
        }
    }
}
