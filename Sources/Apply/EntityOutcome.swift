import Plan
import ReconCore

/// What happened to one record in a run: one line of `outcomes.jsonl`, read back by rollback and audits.
public struct EntityOutcome: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case ok, failed, skipped
    }

    public var table: String
    public var key: String
    public var action: RecordAction
    /// The record's id in the base; nil when it was never created (a failed create).
    public var recordID: String?
    public var status: Status
    public var error: String?

    public init(table: String, key: String, action: RecordAction, recordID: String?, status: Status, error: String? = nil) {
        self.table = table
        self.key = key
        self.action = action
        self.recordID = recordID
        self.status = status
        self.error = error
    }

    /// One canonical JSON line with its newline (keys sorted); absent values are left out. Written straight,
    /// without a dictionary: a 100k apply writes one per record.
    public func line() -> [UInt8] {
        var writer = JSONWriter(capacity: 96 + key.utf8.count + table.utf8.count + (error?.utf8.count ?? 0))
        writer.beginObject()
        writer.field("action", action.rawValue)
        if let error { writer.field("error", error) }
        writer.field("key", key)
        if let recordID { writer.field("record_id", recordID) }
        writer.field("status", status.rawValue)
        writer.field("table", table)
        writer.endObject()
        var bytes = writer.finish()
        bytes.append(0x0A)
        return bytes
    }

    /// Decodes one line; nil for a line that is not a complete outcome.
    public init?(line: ArraySlice<UInt8>) {
        guard let value = try? JSONParser.parse(Array(line)), let table = value["table"]?.stringValue,
              let key = value["key"]?.stringValue, let action = value["action"]?.stringValue.flatMap(RecordAction.init),
              let status = value["status"]?.stringValue.flatMap(Status.init)
        else { return nil }
        self.init(table: table, key: key, action: action, recordID: value["record_id"]?.stringValue, status: status,
                  error: value["error"]?.stringValue)
    }
}
