import ReconCore
import Remote
@testable import SQLiteBase
import TestSupport

/// A two-table base with every field type, as the catalog example declares it.
enum Fixtures {
    static let plugins = TableDefinition(
        name: "Plugins", description: "Plugins of the catalog", keyField: "Key",
        fields: [
            FieldDefinition(name: "Key", type: .singleLineText),
            FieldDefinition(name: "Name", type: .singleLineText, description: "Display name"),
        ])

    static let skills = TableDefinition(
        name: "Agent Skills", description: "Skills found in the catalog repos", keyField: "Key",
        fields: [
            FieldDefinition(name: "Name", type: .singleLineText),
            FieldDefinition(name: "Key", type: .singleLineText, description: "repo:path"),
            FieldDefinition(name: "Description", type: .multilineText),
            FieldDefinition(name: "Home Page", type: .url),
            FieldDefinition(name: "Owner \"Email\"", type: .email),
            FieldDefinition(name: "Phone", type: .phoneNumber),
            FieldDefinition(name: "Stars", type: .number, precision: 2),
            FieldDefinition(name: "Reviewed", type: .checkbox),
            FieldDefinition(name: "Released", type: .date),
            FieldDefinition(name: "Updated At", type: .dateTime),
            FieldDefinition(name: "Status", type: .singleSelect, choices: ["Draft", "Reviewed", "Published"]),
            FieldDefinition(name: "Tags", type: .multipleSelects, choices: ["cli", "web", "ai"]),
            FieldDefinition(name: "Plugin", type: .multipleRecordLinks, linkedTable: "Plugins"),
        ])

    /// A base with both tables created; returns the provider and the two tables.
    static func base(in scratch: TemporaryDirectory, limit: Int = SQLiteBase.defaultMaxRecordsPerBatch)
        throws -> (SQLiteBase, plugins: RemoteTable, skills: RemoteTable)
    {
        let base = SQLiteBase(path: scratch.file("state/catalog.sqlite"), maxRecordsPerBatch: limit)
        let plugins = try base.createTable(Fixtures.plugins)
        let skills = try base.createTable(Fixtures.skills)
        return (base, plugins, skills)
    }

    /// Every field type with a value that exercises it: unicode, quotes, newlines, fractions, lists.
    static func fullSkill(key: String, plugin: String) -> [String: FieldValue] {
        [
            "Key": .text(key),
            "Name": .text("Résumé \"writer\" ✍️"),
            "Description": .text("Line one\nLine two\ttabbed, 'quoted'"),
            "Home Page": .text("https://example.com/skills?a=1&b=2"),
            "Owner \"Email\"": .text("ada@example.com"),
            "Phone": .text("+44 20 7946 0000"),
            "Stars": .number(-1234.56),
            "Reviewed": .bool(true),
            "Released": .text("2024-02-29"),
            "Updated At": .text("2024-02-29T13:45:00.000Z"),
            "Status": .text("Reviewed"),
            "Tags": .list(["cli", "ai"]),
            "Plugin": .list([plugin]),
        ]
    }

    /// The raw connection, as another SQLite tool would use the file.
    static func rawConnection(_ path: String) throws -> SQLiteConnection {
        try SQLiteConnection(path: path, create: false, busyTimeoutMilliseconds: 100)
    }
}
