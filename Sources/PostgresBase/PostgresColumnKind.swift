import ReconCore
import Remote

/// How a field type is stored in its PostgreSQL column: a real type per field, so the base reads
/// sensibly in psql and any BI tool. Values travel as JSON inside one parameter (see `PostgresColumns.recordset`),
/// never in SQL text, and come back as the server's text output.
enum PostgresColumnKind: Equatable {
    /// `text`: every text type and single selects (their choices enforced by a CHECK constraint).
    case text
    /// `numeric(1000, precision)`: the precision is the scale; 1000 digits hold any finite Double.
    case number(scale: Int)
    /// `boolean`; false and NULL both read as "no value".
    case checkbox
    /// `date`, read back as `YYYY-MM-DD`.
    case date
    /// `timestamptz`, read back as ISO 8601 in UTC (`…T…Z`).
    case dateTime
    /// `text[]`: multiple selects (choices enforced), and links (record ids, checked on write).
    case list
    case links
    /// A column whose type was changed by hand, or one of a table being adopted: read as text.
    case other

    /// Every declarable type has a column kind: a new type fails to compile here until it is given one.
    init(type: FieldType.Name, precision: Int?) {
        switch type {
        case .singleLineText, .multilineText, .url, .email, .phoneNumber, .singleSelect: self = .text
        case .number: self = .number(scale: precision ?? FieldType.defaultPrecision)
        case .checkbox: self = .checkbox
        case .date: self = .date
        case .dateTime: self = .dateTime
        case .multipleSelects: self = .list
        case .multipleRecordLinks: self = .links
        }
    }

    /// The column type Recon creates.
    var sqlType: String {
        switch self {
        case .text, .other: "text"
        case .number(let scale): "numeric(1000, \(scale))"
        case .checkbox: "boolean"
        case .date: "date"
        case .dateTime: "timestamptz"
        case .list, .links: "text[]"
        }
    }

    /// Whether a column of the server's type (`format_type`) holds this kind's values: its own type, and for
    /// tables adopted from other tools the types that take the same values.
    func accepts(_ serverType: String) -> Bool {
        switch self {
        case .text: serverType == "text" || serverType.hasPrefix("character varying") || serverType.hasPrefix("character(")
        case .number(let scale):
            ["integer", "bigint", "smallint", "real", "double precision", "numeric"].contains(serverType)
                || serverType.hasPrefix("numeric(") && Self.scale(of: serverType) == scale
        case .checkbox: serverType == "boolean"
        case .date: serverType == "date"
        case .dateTime: serverType == "timestamp with time zone"
        case .list: serverType == "text[]" || serverType == "character varying[]"
        case .links: serverType == "text[]"
        case .other: true
        }
    }

    /// The field types a column of a table Recon did not create can hold. Links never: the ids are Recon's.
    static func holds(serverType: String) -> Set<FieldType.Name> {
        Set(FieldType.Name.allCases.filter { type in
            guard type != .multipleRecordLinks else { return false }
            let scale = serverType.hasPrefix("numeric(") ? scale(of: serverType) ?? 0 : 0
            return PostgresColumnKind(type: type, precision: scale).accepts(serverType)
        })
    }

    /// The kind a column of a table Recon did not create is read as, by its type.
    static func reading(serverType: String) -> PostgresColumnKind {
        if PostgresColumnKind.number(scale: scale(of: serverType) ?? 0).accepts(serverType) { return .number(scale: scale(of: serverType) ?? 0) }
        for kind in [PostgresColumnKind.checkbox, .list, .text] where kind.accepts(serverType) { return kind }
        return .other
    }

    /// `s` of `numeric(p,s)`.
    static func scale(of serverType: String) -> Int? {
        guard serverType.hasPrefix("numeric("), let comma = serverType.firstIndex(of: ",") else { return nil }
        return Int(serverType[serverType.index(after: comma)...].filter(\.isNumber))
    }

    /// The SELECT expression for a quoted column: text for one value, a JSON array for lists.
    func select(_ quoted: String) -> String {
        switch self {
        case .list, .links: "array_to_json(\(quoted))::text"
        default: "\(quoted)::text"
        }
    }

    /// A cell from the server's text output. A value that does not read as this kind (a column retyped by
    /// hand) comes back as text, so the plan shows it as drift instead of hiding it.
    func read(_ text: String?) -> FieldValue? {
        guard let text else { return nil }
        switch self {
        case .text, .other, .date:
            return FieldValue.text(text).normalized
        case .number:
            return Double(text).map(FieldValue.number) ?? .text(text)
        case .checkbox:
            return text == "true" ? .bool(true) : text == "false" ? nil : .text(text)
        case .dateTime:
            return FieldValue.text(Self.isoInstant(text)).normalized
        case .list, .links:
            guard case .array(let items)? = try? JSONParser.parse(Array(text.utf8)) else { return .text(text) }
            return FieldValue.list(items.compactMap(\.stringValue)).normalized
        }
    }

    /// `number` at `scale` digits, rounded the way the planner compares numbers (`FieldComparison`: the Double
    /// times 10^scale, rounded), so the column's own rounding (of the decimal text, half away from zero) has
    /// nothing left to do: 1.005 is 1.00499… as a Double, which the planner reads as 1.00 and the server as 1.01.
    /// Past 2^52 the Double has no digits at that scale to round.
    static func rounded(_ number: Double, scale: Int) -> Double {
        var factor = 1.0
        for _ in 0..<max(0, scale) { factor *= 10 }
        let scaled = number * factor
        guard abs(scaled) < 4_503_599_627_370_496 else { return number }
        return scaled.rounded() / factor
    }

    /// `2024-01-02 03:04:05.25+00` (the session is in UTC) → `2024-01-02T03:04:05.25Z`.
    static func isoInstant(_ text: String) -> String {
        guard text.hasSuffix("+00"), let space = text.firstIndex(of: " ") else { return text }
        var iso = text
        iso.replaceSubrange(space...space, with: "T")
        return String(iso.dropLast(3)) + "Z"
    }

    /// Writes `value` as the JSON the column's type reads; nil or "no value" becomes null. A value of the
    /// wrong kind is refused rather than coerced, so a bad batch rolls back instead of storing something else.
    func write(_ value: FieldValue?, to writer: inout JSONWriter, field: String, table: String) throws {
        guard let value = value?.normalized else { return writer.null() }
        switch (self, value) {
        case (.text, .text(let text)), (.date, .text(let text)), (.dateTime, .text(let text)), (.other, .text(let text)):
            try Self.checkText(text, field: field, table: table)
            writer.string(text)
        case (.number(let scale), .number(let number)):
            guard number.isFinite else { throw refusal("a number that is not finite", field: field, table: table) }
            writer.number(Self.rounded(number, scale: scale))
        case (.other, .number(let number)):
            guard number.isFinite else { throw refusal("a number that is not finite", field: field, table: table) }
            writer.number(number)
        case (.checkbox, .bool(let flag)), (.other, .bool(let flag)):
            writer.bool(flag)
        case (.list, .list(let items)), (.links, .list(let items)):
            // As a `text[]` literal in a JSON string, not a JSON array: the server reads it into the column with
            // the array's own input function, faster than `json_to_recordset` turns a JSON array into one (bench/pgcreates-results.md).
            for item in items { try Self.checkText(item, field: field, table: table) }
            writer.string(PostgresArray.literal(items))
        default:
            throw refusal(Self.describe(value), field: field, table: table)
        }
    }

    private static func checkText(_ text: String, field: String, table: String) throws {
        guard text.utf8.contains(0) else { return }
        throw ReconError("a value for field '\(ControlEscape.escaped(field))' of table '\(ControlEscape.escaped(table))' holds a NUL character, which PostgreSQL text cannot store",
                         hint: "remove it from the source; nothing in this batch was written")
    }

    private func refusal(_ what: String, field: String, table: String) -> ReconError {
        ReconError("cannot write \(what) to field '\(ControlEscape.escaped(field))' of table '\(ControlEscape.escaped(table))', which holds \(describe)",
                   hint: "this is a bug in the plan or the extraction rules for that field; nothing in this batch was written")
    }

    private var describe: String {
        switch self {
        case .text, .other: "text"
        case .number: "numbers"
        case .checkbox: "a checkbox"
        case .date: "dates"
        case .dateTime: "date-times"
        case .list: "a list of choices"
        case .links: "links to records"
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
