import ReconCore
import Remote

/// Airtable's field JSON ↔ Recon's field types and cell values. The manifests name types as
/// Airtable does, so the mapping is mostly identity; the work is in options and empty cells.
enum AirtableFieldCodec {
    /// The types Recon declares, all of which the metadata API can create. Any other type found in
    /// a base (formula, rollup, attachments...) is reported under its Airtable name, so the planner
    /// sees a type mismatch and makes it `manual`.
    static let creatableTypes = Set(FieldType.Name.allCases)

    static let capabilities = ProviderCapabilities(creatableFieldTypes: creatableTypes, canUpdateFieldChoices: false)

    // MARK: Schema

    /// The body of a create-field request. `linkedTableID` is the resolved id for links.
    static func fieldJSON(_ definition: FieldDefinition, linkedTableID: String?) -> JSONValue {
        var json: [String: JSONValue] = ["name": .string(definition.name), "type": .string(definition.type.rawValue)]
        if let description = definition.description, !description.isEmpty { json["description"] = .string(description) }
        switch definition.type {
        case .number:
            json["options"] = ["precision": .number(Double(definition.precision ?? 0))]
        case .checkbox:
            json["options"] = ["icon": "check", "color": "greenBright"]
        case .date:
            json["options"] = ["dateFormat": ["name": "iso"]]
        case .dateTime:
            json["options"] = ["dateFormat": ["name": "iso"], "timeFormat": ["name": "24hour"], "timeZone": "utc"]
        case .singleSelect, .multipleSelects:
            json["options"] = ["choices": .array((definition.choices ?? []).map { ["name": .string($0)] })]
        case .multipleRecordLinks:
            json["options"] = ["linkedTableId": .string(linkedTableID ?? "")]
        case .singleLineText, .multilineText, .url, .email, .phoneNumber:
            break
        }
        return .object(json)
    }

    static func field(_ json: JSONValue) -> RemoteField? {
        guard let id = json["id"]?.stringValue, let name = json["name"]?.stringValue, let typeName = json["type"]?.stringValue else { return nil }
        let type = RemoteFieldType(name: typeName)
        let options = json["options"]
        let choices = options?["choices"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        return RemoteField(
            id: id, name: name, type: type, description: json["description"]?.stringValue,
            choices: type == .declarable(.singleSelect) || type == .declarable(.multipleSelects) ? choices ?? [] : nil,
            linkedTableID: options?["linkedTableId"]?.stringValue,
            precision: type == .declarable(.number) ? options?["precision"]?.intValue ?? 0 : nil)
    }

    static func table(_ json: JSONValue) -> RemoteTable? {
        guard let id = json["id"]?.stringValue, let name = json["name"]?.stringValue else { return nil }
        let fields = json["fields"]?.arrayValue?.compactMap(field) ?? []
        return RemoteTable(id: id, name: name, description: json["description"]?.stringValue,
                           primaryFieldID: json["primaryFieldId"]?.stringValue, fields: fields)
    }

    // MARK: Cells

    /// Whether Recon reads this type's cells; others are left out of the `fields[]` projection.
    static func isReadable(_ type: RemoteFieldType) -> Bool { type.declarable != nil }

    /// A cell as Airtable returned it → Recon's value; nil for "no value" (Airtable omits empty
    /// strings, empty arrays, false and null, so absence and emptiness read alike).
    static func value(_ json: JSONValue, type: RemoteFieldType) -> FieldValue? {
        switch json {
        case .string(let text):
            return FieldValue.text(type == .declarable(.dateTime) ? canonicalDateTime(text) : text).normalized
        case .number(let number): return .number(number)
        case .bool(let flag): return FieldValue.bool(flag).normalized
        case .array(let items): return FieldValue.list(items.compactMap(\.stringValue)).normalized
        case .null, .object: return nil
        }
    }

    /// Recon's value → the JSON Airtable takes. Nil clears the cell in the form that type accepts.
    static func json(_ value: FieldValue?, type: RemoteFieldType) -> JSONValue {
        guard let value = value?.normalized else {
            switch type.declarable {
            case .checkbox: return false
            case .multipleSelects, .multipleRecordLinks: return []
            case .singleLineText, .multilineText, .url, .email, .phoneNumber, .number, .date, .dateTime, .singleSelect, nil:
                return .null
            }
        }
        return value.json
    }

    /// Airtable returns date-times as `2024-05-01T10:00:00.000Z`; whole seconds are written without
    /// the `.000`, as sources usually spell them, so an unchanged value never reads as drift.
    static func canonicalDateTime(_ text: String) -> String {
        text.hasSuffix(".000Z") ? String(text.dropLast(5)) + "Z" : text
    }
}
