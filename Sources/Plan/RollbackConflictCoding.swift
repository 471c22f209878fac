import ReconCore

/// The `rollback_conflicts` member of a plan file (left out when empty, so other plans keep their bytes).
enum RollbackConflictCoding {
    static func write(_ conflicts: [RollbackConflict], to w: inout JSONWriter) {
        w.key("rollback_conflicts")
        w.beginArray()
        for conflict in conflicts {
            w.beginObject()
            w.field("action", conflict.action.rawValue)
            w.key("fields")
            w.beginArray()
            for field in conflict.fields {
                w.beginObject()
                PlanEncoder.optional("current", field.current, &w)
                w.field("name", field.name)
                PlanEncoder.optional("written", field.written, &w)
                w.endObject()
            }
            w.endArray()
            w.field("key", conflict.key)
            w.field("reason", conflict.reason.rawValue)
            if let id = conflict.recordID { w.field("record_id", id) }
            w.field("table", conflict.table)
            w.endObject()
        }
        w.endArray()
    }

    static func read(_ items: [JSONValue]) throws(ReconError) -> [RollbackConflict] {
        var conflicts: [RollbackConflict] = []
        for item in items {
            guard let action = RecordAction(rawValue: try PlanDecoder.string(item, "action")),
                  let reason = RollbackConflict.Reason(rawValue: try PlanDecoder.string(item, "reason"))
            else { throw ReconError("unknown rollback conflict in the plan", hint: "the plan was made by another version of recon") }
            var fields: [RollbackConflict.Field] = []
            for field in item["fields"]?.arrayValue ?? [] {
                fields.append(RollbackConflict.Field(name: try PlanDecoder.string(field, "name"),
                                                     written: field["written"].flatMap(FieldValue.init(json:)),
                                                     current: field["current"].flatMap(FieldValue.init(json:))))
            }
            conflicts.append(RollbackConflict(table: try PlanDecoder.string(item, "table"), key: try PlanDecoder.string(item, "key"),
                                              recordID: item["record_id"]?.stringValue, action: action, reason: reason,
                                              fields: fields))
        }
        return conflicts
    }
}
