import Foundation
import ReconCore

/// How the emulator checks field definitions and cell values, as strictly as Airtable does.
enum EmulatorRules {
    /// Types the metadata API can create, and which of them need options.
    static let creatable: Set<String> = [
        "singleLineText", "multilineText", "url", "email", "phoneNumber", "number", "checkbox", "date", "dateTime",
        "singleSelect", "multipleSelects", "multipleRecordLinks", "richText", "currency", "percent", "rating",
    ]
    static let textTypes: Set<String> = ["singleLineText", "multilineText", "url", "email", "phoneNumber", "richText"]
    /// Types a table's primary field may not have.
    static let notPrimary: Set<String> = ["checkbox", "multipleRecordLinks", "multipleSelects", "singleSelect"]

    /// A field from a create request, checked.
    static func field(_ json: JSONValue, base: EmulatedBase, existing: [EmulatedField]) throws(EmulatorError) -> EmulatedField {
        guard let name = json["name"]?.stringValue, !name.isEmpty,
              !existing.contains(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw EmulatorError(422, "DUPLICATE_OR_EMPTY_FIELD_NAME", "Field name '\(json["name"]?.stringValue ?? "")' is empty or already used")
        }
        guard let type = json["type"]?.stringValue else { throw .invalid("Field '\(name)' has no type") }
        guard creatable.contains(type) else {
            throw EmulatorError(422, "UNSUPPORTED_FIELD_TYPE_FOR_CREATE", "Field type \(type) cannot be created through the API")
        }
        let options = json["options"]
        func require(_ key: String) throws(EmulatorError) {
            guard options?[key] != nil else {
                throw EmulatorError(422, "INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE", "Field '\(name)' of type \(type) requires options.\(key)")
            }
        }
        switch type {
        case "number", "currency", "percent": try require("precision")
        case "checkbox": try require("icon"); try require("color")
        case "date": try require("dateFormat")
        case "dateTime": try require("dateFormat"); try require("timeFormat"); try require("timeZone")
        case "singleSelect", "multipleSelects": try require("choices")
        case "multipleRecordLinks":
            try require("linkedTableId")
            guard let linked = options?["linkedTableId"]?.stringValue, base.table(linked) != nil else {
                throw EmulatorError(422, "INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE", "Field '\(name)' links to a table that does not exist")
            }
        default: break
        }
        var stored = options
        if type == "singleSelect" || type == "multipleSelects" {
            let choices = options?["choices"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            stored = ["choices": .array(choices.map { ["id": .string(EmulatorIDs.make("sel")), "name": .string($0)] })]
        }
        return EmulatedField(id: EmulatorIDs.make("fld"), name: name, type: type,
                             description: json["description"]?.stringValue, options: stored)
    }

    /// A value written to `field` → what is stored (nil for empty; JSONValue is nil-literal
    /// expressible, so empties are spelled `JSONValue?.none` to never store a `.null`). `typecast` lets unknown select
    /// options be created, as Airtable does.
    static func cell(_ value: JSONValue, field: inout EmulatedField, base: EmulatedBase, typecast: Bool) throws(EmulatorError) -> JSONValue? {
        if value == .null { return nil }
        func wrong() -> EmulatorError {
            EmulatorError(422, "INVALID_VALUE_FOR_COLUMN", "Field \"\(field.name)\" cannot accept the provided value")
        }
        switch field.type {
        case _ where textTypes.contains(field.type):
            guard let text = value.stringValue else { throw wrong() }
            return text.isEmpty ? JSONValue?.none : value
        case "number", "currency", "percent", "rating":
            guard value.numberValue != nil else { throw wrong() }
            return value
        case "checkbox":
            guard let flag = value.boolValue else { throw wrong() }
            return flag ? value : JSONValue?.none
        case "date":
            guard let text = value.stringValue, text.count == 10, dayFormatter.date(from: text) != nil else { throw wrong() }
            return value
        case "dateTime":
            guard let text = value.stringValue, let date = parseDateTime(text) else { throw wrong() }
            return .string(outputFormatter.string(from: date))
        case "singleSelect":
            guard let text = value.stringValue else { throw wrong() }
            if text.isEmpty { return nil }
            try choose([text], field: &field, typecast: typecast)
            return value
        case "multipleSelects":
            guard let items = value.arrayValue?.compactMap(\.stringValue), items.count == value.arrayValue?.count else { throw wrong() }
            try choose(items, field: &field, typecast: typecast)
            return items.isEmpty ? JSONValue?.none : value
        case "multipleRecordLinks":
            guard let ids = value.arrayValue?.compactMap(\.stringValue), ids.count == value.arrayValue?.count else { throw wrong() }
            let linked = field.options?["linkedTableId"]?.stringValue.flatMap(base.table)
            for id in ids where linked?.index(of: id) == nil {
                throw EmulatorError(422, "ROW_DOES_NOT_EXIST", "Record ID \(id) does not exist in the linked table")
            }
            return ids.isEmpty ? JSONValue?.none : value
        default:
            throw EmulatorError(422, "INVALID_VALUE_FOR_COLUMN", "Field \"\(field.name)\" is computed and cannot be written")
        }
    }

    private static func choose(_ items: [String], field: inout EmulatedField, typecast: Bool) throws(EmulatorError) {
        var choices = field.options?["choices"]?.arrayValue ?? []
        for item in items where !field.choices.contains(item) {
            guard typecast else {
                throw EmulatorError(422, "INVALID_MULTIPLE_CHOICE_OPTIONS", "Insufficient permissions to create new select option \"\(item)\"")
            }
            choices.append(["id": .string(EmulatorIDs.make("sel")), "name": .string(item)])
            field.options = ["choices": .array(choices)]
        }
    }

    static func parseDateTime(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    static let dayFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }()

    nonisolated(unsafe) static let outputFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
