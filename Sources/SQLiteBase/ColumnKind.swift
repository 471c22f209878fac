import CSQLite
import ReconCore
import Remote

/// How a field type is stored in its SQL column. Type names are the manifests' (Airtable's).
enum ColumnKind: Equatable {
    /// TEXT: every text type, single selects, dates and date-times (ISO 8601 text).
    case text
    /// NUMERIC: whole numbers are stored as integers (as any SQLite tool then shows them), others as
    /// reals; the precision lives in the metadata, the value is kept as given.
    case number
    /// INTEGER 0/1; 0 and NULL both read as "no value".
    case checkbox
    /// TEXT holding a JSON array of strings (multipleSelects).
    case list
    /// TEXT holding a JSON array of record ids (multipleRecordLinks).
    case links
    /// A column the metadata does not describe (added in another tool): each cell read by its storage
    /// class and written back the same way, so nothing Recon does loses it.
    case untyped

    /// Every declarable type has a column kind: a new type fails to compile here until it is given one.
    init(type: FieldType.Name) {
        switch type {
        case .singleLineText, .multilineText, .url, .email, .phoneNumber, .singleSelect, .date, .dateTime: self = .text
        case .number: self = .number
        case .checkbox: self = .checkbox
        case .multipleSelects: self = .list
        case .multipleRecordLinks: self = .links
        }
    }

    /// Nil for a type the metadata names but this version cannot declare.
    init?(type: RemoteFieldType) {
        guard let name = type.declarable else { return nil }
        self.init(type: name)
    }

    /// The field types a column of a table Recon did not create can hold, by the affinity SQLite gives its
    /// declared type (SQLite's rules, in order). No declared type (BLOB affinity) holds none: say what it holds.
    /// Links never: the ids they would hold are Recon's.
    static func holds(declaredType: String) -> Set<FieldType.Name> {
        let type = declaredType.uppercased()
        let text: Set<FieldType.Name> = Set(FieldType.Name.allCases.filter { ColumnKind(type: $0) == .text || ColumnKind(type: $0) == .list })
        if type.contains("INT") { return [.number, .checkbox] }
        if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { return text }
        if type.contains("BLOB") || type.isEmpty { return [] }
        if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") { return [.number] }
        return [.number, .checkbox]
    }

    /// The declared SQL type, so the file reads sensibly in other SQLite tools.
    var sqlType: String {
        switch self {
        case .text, .list, .links: "TEXT"
        case .number: "NUMERIC"
        case .checkbox: "INTEGER"
        case .untyped: ""
        }
    }

    /// Binds `value` for this column; nil or "no value" becomes NULL. A value of the wrong kind is
    /// refused rather than coerced, so a bad batch rolls back instead of storing something else.
    func bind(_ value: FieldValue?, to statement: SQLiteStatement, at index: Int32, field: String, table: String) throws {
        guard let value = value?.normalized else { return try statement.bindNull(index) }
        switch (self, value) {
        case (.text, .text(let text)): try statement.bind(index, text)
        case (.number, .number(let number)): try statement.bind(index, number)
        case (.checkbox, .bool(let flag)): try statement.bind(index, flag ? 1 : 0)
        case (.list, .list(let items)), (.links, .list(let items)):
            try statement.bind(index, ColumnKind.encodeList(items))
        case (.untyped, .text(let text)): try statement.bind(index, text)
        case (.untyped, .number(let number)):
            // An INTEGER cell was read as a whole Double; it goes back as an integer.
            if number.rounded() == number, abs(number) < 9.0e15 { try statement.bind(index, Int(number)) } else { try statement.bind(index, number) }
        case (.untyped, .bool(let flag)): try statement.bind(index, flag ? 1 : 0)
        case (.untyped, .list(let items)): try statement.bind(index, ColumnKind.encodeList(items))
        default:
            throw ReconError(
                "cannot write \(ColumnKind.describe(value)) to field '\(field)' of table '\(table)', which holds \(describe)",
                hint: "this is a bug in the plan or the extraction rules for that field; nothing in this batch was written")
        }
    }

    /// What `read` returns for the cell `bind` wrote from `value` (nil: the cell reads as empty), so a write need not
    /// read its row back. Only for a value `bind` accepts.
    func stored(_ value: FieldValue?) -> FieldValue? {
        guard let value = value?.normalized else { return nil }
        switch (self, value) {
        case (.number, .number(let number)), (.untyped, .number(let number)):
            return number.isNaN ? nil : value   // SQLite stores a NaN as NULL
        case (.untyped, .bool):
            return .number(1)                   // an INTEGER cell, read by its storage class
        case (.untyped, .list(let items)):
            return .text(ColumnKind.encodeList(items))
        default:
            return value
        }
    }

    /// Reads a cell back. A cell holding something other than this kind stores (edited by hand in
    /// another tool) is reported as text, so the plan shows it as drift instead of hiding it.
    func read(_ statement: SQLiteStatement, column: Int32) -> FieldValue? {
        let type = statement.type(column)
        if type == SQLITE_NULL { return nil }
        switch self {
        case .text:
            return statement.text(column).map(FieldValue.text)?.normalized
        case .number:
            if type == SQLITE_INTEGER || type == SQLITE_FLOAT { return .number(statement.double(column)) }
            return statement.text(column).map(FieldValue.text)?.normalized
        case .checkbox:
            if type == SQLITE_INTEGER || type == SQLITE_FLOAT { return statement.double(column) != 0 ? .bool(true) : nil }
            return statement.text(column).map(FieldValue.text)?.normalized
        case .untyped:
            if type == SQLITE_INTEGER { return .number(Double(statement.int(column))) }
            if type == SQLITE_FLOAT { return .number(statement.double(column)) }
            return statement.text(column).map(FieldValue.text)?.normalized
        case .list, .links:
            guard let bytes = statement.bytes(column) else { return nil }
            if let items = ColumnKind.decodeList(bytes) { return FieldValue.list(items).normalized }
            return FieldValue.text(String(decoding: bytes, as: UTF8.self)).normalized
        }
    }

    static func encodeList(_ items: [String]) -> String {
        var writer = JSONWriter()
        writer.beginArray()
        for item in items { writer.string(item) }
        writer.endArray()
        return String(decoding: writer.finish(), as: UTF8.self)
    }

    /// Nil unless the bytes are a JSON array of strings.
    static func decodeList(_ bytes: [UInt8]) -> [String]? {
        guard case .array(let items)? = try? JSONParser.parse(bytes) else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for item in items {
            guard let text = item.stringValue else { return nil }
            strings.append(text)
        }
        return strings
    }

    private var describe: String {
        switch self {
        case .text: "text"
        case .number: "numbers"
        case .checkbox: "a checkbox"
        case .list: "a list of choices"
        case .links: "links to records"
        case .untyped: "any value"
        }
    }

    private static func describe(_ value: FieldValue) -> String {
        switch value {
        case .text: "text"
        case .number: "a number"
        case .bool: "a checkbox value"
        case .list: "a list"
        }
    }
}
