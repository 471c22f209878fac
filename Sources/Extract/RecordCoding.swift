import ReconCore

/// The JSON form of desired records and diagnostics, shared by `recon extract --format json`
/// and the extract cache; keys are written sorted, so the bytes are canonical.
public enum RecordCoding {
    public static func write(_ record: DesiredRecord, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("content_hash", record.contentHash)
        writer.key("fields")
        // Each record is written once: cells still in a sealed entry's bytes are decoded for this and let go.
        writer.fieldValues(record.transientFields)
        writer.field("key", record.key)
        writer.key("provenance")
        writer.beginObject()
        writer.field("path", record.provenance.path)
        writer.field("repo", record.provenance.repo)
        writer.field("source_commit", record.provenance.sourceCommit)
        writer.endObject()
        writer.field("table", record.table)
        writer.endObject()
    }

    /// Nil when a member is missing or of the wrong type (a cache written by another version).
    public static func record(_ json: JSONValue) -> DesiredRecord? {
        guard let table = json["table"]?.stringValue, let key = json["key"]?.stringValue,
              let members = json["fields"]?.objectValue, let provenance = json["provenance"],
              let repo = provenance["repo"]?.stringValue, let path = provenance["path"]?.stringValue,
              let commit = provenance["source_commit"]?.stringValue
        else { return nil }
        let fields = members.compactMapValues(FieldValue.init(json:))
        let record = DesiredRecord(table: table, key: key, fields: fields, provenance: Provenance(repo: repo, path: path, sourceCommit: commit))
        guard json["content_hash"]?.stringValue == record.contentHash else { return nil }
        return record
    }
}
