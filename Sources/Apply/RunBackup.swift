import Foundation
import Plan
import ReconCore
import Remote
import State

/// Writes a run's before-images under `state/runs/<run-id>/backup/` before the first write to the base:
/// the records and schema the plan touches, the prior state, and the plan itself beside them.
public enum RunBackup {
    public static let formatVersion = 1

    /// `priorState` is the state as loaded (journal replayed), not the file, which may lag a crashed run.
    /// `plan` is the saved file that was verified, or the plan made in this run (streamed to the file).
    static func write(plan: RunPlanFile, before: BeforeImages, priorState: PriorState?, to runDirectory: String) throws {
        let backup = runDirectory + "/backup"
        try PrivateFile.createDirectory(backup)
        try plan.keep(at: runDirectory + "/plan.json")
        try writeBeforeImages(before, to: runDirectory)
        try priorState?.write(to: backup + "/state.json")
    }

    /// Writes (or replaces, with records added during the run) `backup/before.json`.
    static func writeBeforeImages(_ before: BeforeImages, to runDirectory: String) throws {
        try AtomicFile.write(encode(before), to: runDirectory + "/backup/before.json")
    }

    /// Canonical JSON: schema tables as the base had them, then records by table and id.
    static func encode(_ before: BeforeImages) -> [UInt8] {
        var w = JSONWriter(pretty: true, capacity: 1 << 16)
        w.beginObject()
        w.field("format_version", formatVersion)
        w.key("records")
        w.beginArray()
        for table in before.records.keys.sorted() {
            for id in before.records[table]!.keys.sorted() {
                let record = before.records[table]![id]!
                w.beginObject()
                w.key("fields")
                w.fieldValues(record.fields)
                w.field("id", id)
                w.field("table", table)
                w.endObject()
            }
        }
        w.endArray()
        w.key("tables")
        w.beginArray()
        for table in before.schema.tables {
            w.beginObject()
            if let description = table.description { w.field("description", description) }
            w.key("fields")
            w.beginArray()
            for field in table.fields {
                var object: [String: JSONValue] = ["id": .string(field.id), "name": .string(field.name), "type": .string(field.type.description)]
                if let description = field.description { object["description"] = .string(description) }
                if let choices = field.choices { object["choices"] = .array(choices.map(JSONValue.string)) }
                w.value(.object(object))
            }
            w.endArray()
            w.field("id", table.id)
            w.field("name", table.name)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.finish()
    }

    /// Reads the records of a backup back, for rollback; errors name `path`, the file they came from.
    public static func readRecords(_ bytes: [UInt8], path: String) throws -> [String: [String: RemoteRecord]] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw ReconError("\(path): not a run backup: \(error)", hint: "the run folder was edited or damaged; it cannot be rolled back")
        }
        guard let version = document["format_version"]?.intValue, version <= formatVersion else {
            throw ReconError("\(path): the backup was written by a newer recon", hint: "upgrade recon to roll back this run")
        }
        var records: [String: [String: RemoteRecord]] = [:]
        for item in document["records"]?.arrayValue ?? [] {
            guard let table = item["table"]?.stringValue, let id = item["id"]?.stringValue else { continue }
            let fields = (item["fields"]?.objectValue ?? [:]).compactMapValues(FieldValue.init(json:))
            records[table, default: [:]][id] = RemoteRecord(id: id, fields: fields)
        }
        return records
    }
}
