import Foundation
import ReconCore

/// The emulator's data: bases of tables of fields and records, with Airtable's id formats.
/// Cells are stored by field id and never hold an empty value (Airtable omits those).
public final class EmulatedBase: @unchecked Sendable {
    public let id: String
    public var tables: [EmulatedTable] = []

    init(id: String) { self.id = id }

    /// By id or by name, as the API accepts either in a path.
    public func table(_ idOrName: String) -> EmulatedTable? {
        tables.first { $0.id == idOrName } ?? tables.first { $0.name == idOrName }
    }

    func record(_ id: String) -> (EmulatedTable, Int)? {
        for table in tables { if let index = table.index(of: id) { return (table, index) } }
        return nil
    }
}

public final class EmulatedTable: @unchecked Sendable {
    public let id: String
    public var name: String
    public var description: String?
    public var primaryFieldID: String
    public var fields: [EmulatedField]
    public var records: [EmulatedRecord] = []

    init(id: String, name: String, description: String?, fields: [EmulatedField]) {
        self.id = id
        self.name = name
        self.description = description
        self.fields = fields
        primaryFieldID = fields[0].id
    }

    /// By id, else by exact name (the API's rule for `fields` keys).
    public func field(_ idOrName: String) -> EmulatedField? {
        fields.first { $0.id == idOrName } ?? fields.first { $0.name == idOrName }
    }

    func index(of recordID: String) -> Int? { records.firstIndex { $0.id == recordID } }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "primaryFieldId": .string(primaryFieldID),
            "fields": .array(fields.map(\.json)),
            "views": [["id": .string(EmulatorIDs.make("viw")), "name": "Grid view", "type": "grid"]],
        ]
        if let description { object["description"] = .string(description) }
        return .object(object)
    }

    /// A record as the API returns it: cells keyed by id or name, optionally projected.
    func json(_ record: EmulatedRecord, byFieldID: Bool, only: Set<String>? = nil) -> JSONValue {
        var cells: [String: JSONValue] = [:]
        for field in fields {
            guard let value = record.cells[field.id] else { continue }
            if let only, !only.contains(field.id), !only.contains(field.name) { continue }
            cells[byFieldID ? field.id : field.name] = value
        }
        return ["id": .string(record.id), "createdTime": .string(record.createdTime), "fields": .object(cells)]
    }
}

public struct EmulatedField: Sendable {
    public var id: String
    public var name: String
    public var type: String
    public var description: String?
    public var options: JSONValue?

    public var choices: [String] { options?["choices"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [] }

    var json: JSONValue {
        var object: [String: JSONValue] = ["id": .string(id), "name": .string(name), "type": .string(type)]
        if let description { object["description"] = .string(description) }
        if let options { object["options"] = options }
        return .object(object)
    }
}

public struct EmulatedRecord: Sendable {
    public var id: String
    public var createdTime: String
    /// Field id → value; absent means empty.
    public var cells: [String: JSONValue]
    /// When a cell was last written (what `LAST_MODIFIED_TIME()` returns); nil while never modified since creation.
    public var modifiedTime: Date?
}

/// `tbl`/`fld`/`rec`/`app`/`itr` + 14 letters and digits, as Airtable makes them.
public enum EmulatorIDs {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    public static func make(_ prefix: String) -> String {
        prefix + String((0..<14).map { _ in alphabet.randomElement()! })
    }

    public static func isValid(_ id: String, prefix: String) -> Bool {
        id.count == prefix.count + 14 && id.hasPrefix(prefix) && id.dropFirst(prefix.count).allSatisfy { alphabet.contains($0) }
    }
}

/// An API error: status, Airtable's error type and a message, sent as `{"error": {"type", "message"}}`.
struct EmulatorError: Error {
    var status: Int
    var type: String
    var message: String

    init(_ status: Int, _ type: String, _ message: String) {
        self.status = status
        self.type = type
        self.message = message
    }

    static func invalid(_ message: String) -> EmulatorError { EmulatorError(422, "INVALID_REQUEST_UNKNOWN", message) }
    static func notFound(_ what: String) -> EmulatorError { EmulatorError(404, "NOT_FOUND", "Could not find \(what)") }
}
