import Manifest
import ReconCore
import Remote

/// Schema changes to and from the plan's JSON, keys in sorted order.
enum SchemaChangeCoding {
    static func write(_ change: SchemaChange, to w: inout JSONWriter) {
        w.beginObject()
        switch change {
        case .createTable(let name, let description, let fields):
            if let description { w.field("description", description) }
            w.key("fields")
            w.beginArray()
            for field in fields { write(field, to: &w) }
            w.endArray()
            w.field("kind", "create_table")
            w.field("table", name)
        case .createField(let table, let field):
            w.key("field")
            write(field, to: &w)
            w.field("kind", "create_field")
            w.field("table", table)
        case .updateTable(let update):
            if let description = update.description { writeChange("description", description.before, description.after, &w) }
            w.field("kind", "update_table")
            if let name = update.name { writeChange("name", name.before, name.after, &w) }
            w.field("table", update.table)
            w.field("table_id", update.tableID)
        case .unmanageField(let table, let id, let field):
            w.field("field", field)
            w.field("field_id", id)
            w.field("kind", "unmanage_field")
            w.field("table", table)
        case .updateField(let update):
            if let choices = update.choices {
                w.key("choices")
                w.value(["after": .array(choices.after.map(JSONValue.string)), "before": .array(choices.before.map(JSONValue.string))])
            }
            if let description = update.description { writeChange("description", description.before, description.after, &w) }
            w.field("field", update.field)
            w.field("field_id", update.fieldID)
            w.field("kind", "update_field")
            if let name = update.name { writeChange("name", name.before, name.after, &w) }
            if update.name != nil, update.renamedIn != .base { w.field("renamed_in", update.renamedIn.rawValue) }
            w.field("table", update.table)
        case .manual(let item):
            if let field = item.field { w.field("field", field) }
            w.field("instructions", item.instructions)
            w.field("kind", "manual")
            w.field("manual_kind", item.kind.rawValue)
            w.field("message", item.message)
            w.field("table", item.table)
        }
        w.endObject()
    }

    private static func writeChange(_ key: String, _ before: String?, _ after: String?, _ w: inout JSONWriter) {
        w.key(key)
        w.beginObject()
        if let after { w.field("after", after) }
        if let before { w.field("before", before) }
        w.endObject()
    }

    private static func write(_ field: FieldDefinition, to w: inout JSONWriter) {
        w.beginObject()
        if let choices = field.choices { w.key("choices"); w.value(.array(choices.map(JSONValue.string))) }
        if let description = field.description { w.field("description", description) }
        if let linked = field.linkedTable { w.field("linked_table", linked) }
        w.field("name", field.name)
        if let precision = field.precision { w.field("precision", precision) }
        w.field("type", field.type.rawValue)
        w.endObject()
    }

    static func read(_ json: JSONValue) throws(ReconError) -> SchemaChange {
        let kind = try PlanDecoder.string(json, "kind")
        let table = try PlanDecoder.string(json, "table")
        switch kind {
        case "create_table":
            var fields: [FieldDefinition] = []
            for field in try PlanJSON.array(json, "fields") { fields.append(try readField(field)) }
            return .createTable(name: table, description: json["description"]?.stringValue, fields: fields)
        case "create_field":
            guard let field = json["field"] else { throw ReconError("a create_field change has no field") }
            return .createField(table: table, field: try readField(field))
        case "update_table":
            var update = TableUpdate(table: table, tableID: try PlanDecoder.string(json, "table_id"))
            if let name = json["name"] { update.name = Change(name["before"]?.stringValue ?? "", name["after"]?.stringValue ?? "") }
            if let description = json["description"] {
                update.description = Change(description["before"]?.stringValue, description["after"]?.stringValue)
            }
            return .updateTable(update)
        case "unmanage_field":
            return .unmanageField(table: table, fieldID: try PlanDecoder.string(json, "field_id"), field: try PlanDecoder.string(json, "field"))
        case "update_field":
            var update = FieldUpdate(table: table, fieldID: try PlanDecoder.string(json, "field_id"), field: try PlanDecoder.string(json, "field"))
            if let name = json["name"] {
                update.name = Change(name["before"]?.stringValue ?? "", name["after"]?.stringValue ?? "")
            }
            if let origin = json["renamed_in"] {
                guard let known = origin.stringValue.flatMap(RenameOrigin.init(rawValue:)) else {
                    throw ReconError("unknown 'renamed_in' in an update_field change of the plan", hint: "the plan was made by another version of recon")
                }
                update.renamedIn = known
            }
            if let description = json["description"] {
                update.description = Change(description["before"]?.stringValue, description["after"]?.stringValue)
            }
            if let choices = json["choices"] {
                update.choices = Change((choices["before"]?.arrayValue ?? []).compactMap(\.stringValue),
                                        (choices["after"]?.arrayValue ?? []).compactMap(\.stringValue))
            }
            return .updateField(update)
        case "manual":
            guard let manualKind = ManualItem.Kind(rawValue: try PlanDecoder.string(json, "manual_kind")) else {
                throw ReconError("unknown manual item kind in the plan")
            }
            return .manual(ManualItem(kind: manualKind, table: table, field: json["field"]?.stringValue,
                                      message: try PlanDecoder.string(json, "message"),
                                      instructions: try PlanDecoder.string(json, "instructions")))
        default:
            throw ReconError("unknown schema change '\(JSONParser.shown(kind))' in the plan", hint: "the plan was made by another version of recon")
        }
    }

    private static func readField(_ json: JSONValue) throws(ReconError) -> FieldDefinition {
        let type = try PlanDecoder.string(json, "type")
        guard let name = FieldType.Name(rawValue: type) else {
            throw ReconError("unknown field type '\(JSONParser.shown(type))' in the plan", hint: "the plan was made by another version of recon")
        }
        return FieldDefinition(name: try PlanDecoder.string(json, "name"), type: name,
                               description: try PlanJSON.string(json, "description"),
                               choices: try PlanJSON.strings(json, "choices"),
                               linkedTable: try PlanJSON.string(json, "linked_table"), precision: try PlanJSON.int(json, "precision"))
    }
}
