/// The field types a table may declare, named as Airtable names them. It lives here, below Manifest and
/// Remote, so the closed set crosses the provider boundary: a new case fails to compile until every
/// provider handles it.
public enum FieldType: Sendable, Equatable {
    case singleLineText
    case multilineText
    case url
    case email
    case phoneNumber
    case number(precision: Int)
    case checkbox
    case date
    case dateTime
    case singleSelect(choices: [String])
    case multipleSelects(choices: [String])
    case multipleRecordLinks(table: String)

    public enum Name: String, Sendable, CaseIterable {
        case singleLineText, multilineText, url, email, phoneNumber, number, checkbox, date, dateTime
        case singleSelect, multipleSelects, multipleRecordLinks
    }

    public var name: Name {
        switch self {
        case .singleLineText: .singleLineText
        case .multilineText: .multilineText
        case .url: .url
        case .email: .email
        case .phoneNumber: .phoneNumber
        case .number: .number
        case .checkbox: .checkbox
        case .date: .date
        case .dateTime: .dateTime
        case .singleSelect: .singleSelect
        case .multipleSelects: .multipleSelects
        case .multipleRecordLinks: .multipleRecordLinks
        }
    }

    /// Types whose values are text, so they can hold an entity's key.
    public var isText: Bool {
        switch self {
        case .singleLineText, .multilineText, .url, .email, .phoneNumber: true
        default: false
        }
    }

    /// Types whose cell holds a list of values.
    public var isList: Bool {
        switch self {
        case .multipleSelects, .multipleRecordLinks: true
        default: false
        }
    }

    public var choices: [String]? {
        switch self {
        case .singleSelect(let choices), .multipleSelects(let choices): choices
        default: nil
        }
    }

    public var linkedTable: String? {
        if case .multipleRecordLinks(let table) = self { return table }
        return nil
    }

    public static let defaultPrecision = 0
}
