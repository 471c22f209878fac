import Foundation
import Plan
import ReconCore
import Remote
import XCTest

/// What a provider can do beyond the shared rules: asserted by the suite, never skipped silently.
struct ProviderTraits {
    /// Whether `updateField(choices:)` works (Airtable's metadata API cannot add choices).
    var canUpdateChoices: Bool
    /// Whether a value outside a select field's choices is refused on write.
    var enforcesChoices: Bool
}

/// The provider contract (issue 9, point 5): one set of rules written against `BaseProvider`, run per provider
/// by a subclass. The rules are not `test` methods: Linux's test discovery lists only the methods a class
/// declares, so each subclass runs each rule from a test of its own, and the base class runs nothing. Every rule here holds for SQLite, the
/// Airtable emulator and PostgreSQL alike, so the planner can rely on it whichever base it refreshes.
class ProviderContract: XCTestCase {
    /// A fresh, empty base for one test. Subclasses override.
    func makeProvider() throws -> any BaseProvider { fatalError("a provider contract subclass must override makeProvider()") }
    var traits: ProviderTraits { fatalError("a provider contract subclass must override traits") }

    static let plugins = TableDefinition(name: "Plugins", description: "Plugins", keyField: "Key", fields: [
        FieldDefinition(name: "Key", type: .singleLineText),
        FieldDefinition(name: "Name", type: .singleLineText, description: "shown name"),
    ])

    static let skills = TableDefinition(name: "Skills", description: "Agent skills", keyField: "Key", fields: [
        FieldDefinition(name: "Key", type: .singleLineText, description: "repo:path"),
        FieldDefinition(name: "Name", type: .singleLineText),
        FieldDefinition(name: "Body", type: .multilineText),
        FieldDefinition(name: "Home", type: .url),
        FieldDefinition(name: "Mail", type: .email),
        FieldDefinition(name: "Phone", type: .phoneNumber),
        FieldDefinition(name: "Score", type: .number, precision: 2),
        FieldDefinition(name: "Count", type: .number, precision: 0),
        FieldDefinition(name: "Ready", type: .checkbox),
        FieldDefinition(name: "Day", type: .date),
        FieldDefinition(name: "At", type: .dateTime),
        FieldDefinition(name: "Status", type: .singleSelect, choices: ["Draft", "Published"]),
        FieldDefinition(name: "Tags", type: .multipleSelects, choices: ["a", "b", "c"]),
        FieldDefinition(name: "Plugin", type: .multipleRecordLinks, linkedTable: "Plugins"),
    ])

    /// Both tables, made through the provider, as it then reports them.
    func catalog(_ provider: any BaseProvider) throws -> (plugins: RemoteTable, skills: RemoteTable) {
        _ = try provider.createTable(Self.plugins)
        _ = try provider.createTable(Self.skills)
        let schema = try provider.inspectSchema()
        return (try XCTUnwrap(schema.table(named: "Plugins")), try XCTUnwrap(schema.table(named: "Skills")))
    }

    /// Upserts in batches of the provider's limit, as apply does.
    func upsert(_ provider: any BaseProvider, _ records: [[String: FieldValue]], in table: RemoteTable) throws -> [UpsertedRecord] {
        var results: [UpsertedRecord] = []
        var start = 0
        while start < records.count {
            let end = min(records.count, start + provider.limits.maxRecordsPerBatch)
            results += try provider.upsert(Array(records[start..<end]), in: table, mergeOn: "Key")
            start = end
        }
        return results
    }

    /// Values compare by meaning, exactly as the planner compares them (`FieldComparison`): what differs here
    /// would be drift in every plan after an apply.
    func assertSameMeaning(_ stored: FieldCells, _ written: [String: FieldValue], in definition: TableDefinition,
                           file: StaticString = #filePath, line: UInt = #line) {
        for field in definition.fields {
            let a = stored[field.name], b = written[field.name]?.normalized
            XCTAssertTrue(FieldComparison.equal(a, b, type: Self.fieldType(of: field)),
                          "\(field.name): read back \(String(describing: a)), wrote \(String(describing: b))", file: file, line: line)
        }
    }

    static func fieldType(of field: FieldDefinition) -> FieldType {
        switch field.type {
        case .singleLineText: .singleLineText
        case .multilineText: .multilineText
        case .url: .url
        case .email: .email
        case .phoneNumber: .phoneNumber
        case .number: .number(precision: field.precision ?? FieldType.defaultPrecision)
        case .checkbox: .checkbox
        case .date: .date
        case .dateTime: .dateTime
        case .singleSelect: .singleSelect(choices: field.choices ?? [])
        case .multipleSelects: .multipleSelects(choices: field.choices ?? [])
        case .multipleRecordLinks: .multipleRecordLinks(table: field.linkedTable ?? "")
        }
    }

    // MARK: Schema

    func ruleTablesAndFieldsReadBackAsTheyWereWritten() throws {
        let provider = try makeProvider()
        XCTAssertTrue(try provider.inspectSchema().tables.isEmpty, "a fresh base is empty")
        let (plugins, skills) = try catalog(provider)
        XCTAssertEqual(skills.description, "Agent skills")
        XCTAssertEqual(skills.primaryFieldID, skills.field(named: "Key")?.id, "the key field is the primary field")
        XCTAssertEqual(skills.fields.map(\.name), Self.skills.fields.map(\.name), "fields in the order written")
        for definition in Self.skills.fields {
            let field = try XCTUnwrap(skills.field(named: definition.name))
            XCTAssertEqual(field.type, .declarable(definition.type), definition.name)
            XCTAssertEqual(field.description, definition.description, definition.name)
            if let choices = definition.choices { XCTAssertEqual(field.choices, choices, definition.name) }
            if definition.type == .number { XCTAssertEqual(field.precision, definition.precision, definition.name) }
        }
        XCTAssertEqual(skills.field(named: "Plugin")?.linkedTableID, plugins.id)
        XCTAssertEqual(plugins.field(named: "Name")?.description, "shown name")
        // Ids are stable: a second read (a new connection for the same base) gives the same ones.
        let again = try XCTUnwrap(try provider.inspectSchema().table(id: skills.id))
        XCTAssertEqual(again, skills)
    }

    func ruleFieldsAddedLaterAndDescriptionsChangedReadBack() throws {
        let provider = try makeProvider()
        let (_, skills) = try catalog(provider)
        let added = try provider.createField(FieldDefinition(name: "Extra", type: .number, description: "late", precision: 1), in: skills)
        try provider.updateTable(skills, description: "Skills, described again")
        try provider.updateField(try XCTUnwrap(skills.field(named: "Name")), in: skills, description: "the name")
        let table = try XCTUnwrap(try provider.inspectSchema().table(id: skills.id))
        XCTAssertEqual(table.field(id: added.id)?.name, "Extra")
        XCTAssertEqual(table.field(id: added.id)?.precision, 1)
        XCTAssertEqual(table.description, "Skills, described again")
        XCTAssertEqual(table.field(named: "Name")?.description, "the name")
    }

    func ruleTablesAndFieldsAreRenamedByID() throws {
        let provider = try makeProvider()
        let (_, skills) = try catalog(provider)
        let created = try provider.upsert([["Key": .text("k1"), "Name": .text("one")]], in: skills, mergeOn: "Key")
        try provider.updateTable(skills, name: "Abilities")
        let renamed = try XCTUnwrap(try provider.inspectSchema().table(id: skills.id))
        XCTAssertEqual(renamed.name, "Abilities")
        let name = try XCTUnwrap(renamed.field(named: "Name"))
        try provider.updateField(name, in: renamed, name: "Title", choices: nil)
        let table = try XCTUnwrap(try provider.inspectSchema().table(id: skills.id))
        XCTAssertEqual(table.field(id: name.id)?.name, "Title")
        let records = try provider.readRecords(in: table)
        XCTAssertEqual(records.map(\.id), created.map(\.record.id), "records keep their ids across renames")
        XCTAssertEqual(records.first?.fields["Title"], .text("one"))
        XCTAssertNil(records.first?.fields["Name"])
    }

    func ruleChoicesAreAddedOrTheProviderSaysItCannot() throws {
        let provider = try makeProvider()
        let (_, skills) = try catalog(provider)
        let schema = try provider.inspectSchema()
        XCTAssertEqual(schema.capabilities.canUpdateFieldChoices, traits.canUpdateChoices)
        let status = try XCTUnwrap(skills.field(named: "Status"))
        let outside: [String: FieldValue] = ["Key": .text("k"), "Status": .text("Retired")]
        if traits.enforcesChoices {
            XCTAssertThrowsError(try provider.upsert([outside], in: skills, mergeOn: "Key"))
            XCTAssertTrue(try provider.readRecords(in: skills).isEmpty, "nothing of the refused batch was written")
        }
        guard traits.canUpdateChoices else { return }
        try provider.updateField(status, in: skills, name: nil, choices: ["Draft", "Published", "Retired"])
        XCTAssertEqual(try provider.inspectSchema().table(id: skills.id)?.field(id: status.id)?.choices, ["Draft", "Published", "Retired"])
        let stored = try provider.upsert([outside], in: skills, mergeOn: "Key")
        XCTAssertEqual(stored.first?.record.fields["Status"], .text("Retired"))
    }

    // MARK: Records

    func ruleEveryFieldTypeRoundTrips() throws {
        let provider = try makeProvider()
        let (plugins, skills) = try catalog(provider)
        let plugin = try XCTUnwrap(try provider.upsert([["Key": .text("p"), "Name": .text("Plugin")]], in: plugins, mergeOn: "Key").first)
        let full: [String: FieldValue] = [
            "Key": .text("core:skills/a/SKILL.md"), "Name": .text("Ünïcödé 名前 \"quoted\" 'single'; -- x"),
            "Body": .text("line one\nline two\ttabbed \\ backslash"), "Home": .text("https://example.com/a?b=c&d=e"),
            "Mail": .text("a@example.com"), "Phone": .text("+1 555 0100"),
            "Score": .number(12.5), "Count": .number(-3), "Ready": .bool(true), "Day": .text("2024-02-29"),
            "At": .text("2024-02-29T13:14:15.250Z"), "Status": .text("Published"), "Tags": .list(["c", "a"]),
            "Plugin": .list([plugin.record.id]),
        ]
        let stored = try XCTUnwrap(try provider.upsert([full], in: skills, mergeOn: "Key").first)
        XCTAssertTrue(stored.created)
        assertSameMeaning(stored.record.fields, full, in: Self.skills)
        let read = try XCTUnwrap(try provider.readRecords(in: skills).first)
        XCTAssertEqual(read.id, stored.record.id)
        assertSameMeaning(read.fields, full, in: Self.skills)
        let byID = try provider.readRecords(ids: [stored.record.id, "recNoSuchRecord00"], in: skills)
        XCTAssertEqual(byID.map(\.id), [stored.record.id])
        let byKey = try provider.readRecords(keys: ["core:skills/a/SKILL.md", "no such key"], field: "Key", in: skills)
        XCTAssertEqual(byKey.map(\.id), [stored.record.id])
    }

    /// A number with more digits than its field's precision, half-way included, reads back equal at that
    /// precision, as the planner compares it: a base that rounds otherwise shows drift after every apply.
    func ruleNumbersPastTheirPrecisionReadBackEqualAtIt() throws {
        let provider = try makeProvider()
        let (_, skills) = try catalog(provider)
        let values = [1.005, 2.675, 1.015, 0.125, 8.345, -1.005, 1e-9, 123456.785, 9007199254740992, 1e300]
        let records: [[String: FieldValue]] = values.enumerated().map { ["Key": .text("n\($0)"), "Score": .number($1), "Count": .number($1)] }
        let stored = try upsert(provider, records, in: skills)
        let read = Dictionary(uniqueKeysWithValues: try provider.readRecords(in: skills).map { ($0.id, $0.fields) })
        for (index, result) in stored.enumerated() {
            assertSameMeaning(result.record.fields, records[index], in: Self.skills)
            assertSameMeaning(read[result.record.id] ?? [:], records[index], in: Self.skills)
        }
    }

    /// A date-time with more fractional digits than the base keeps reads back equal as the planner compares it:
    /// PostgreSQL rounds to microseconds, so `.1234995` comes back `.1235`, half a millisecond up.
    func ruleDateTimesPastTheBasesGrainReadBackEqual() throws {
        let provider = try makeProvider()
        let (_, skills) = try catalog(provider)
        let values = ["2024-02-29T13:14:15.1234995Z", "2024-02-29T13:14:15.9999995Z", "2024-02-29T13:14:15.0004999Z",
                      "2024-02-29T13:14:15.123456789+02:00"]
        let records: [[String: FieldValue]] = values.enumerated().map { ["Key": .text("t\($0)"), "At": .text($1)] }
        let stored = try upsert(provider, records, in: skills)
        let read = Dictionary(uniqueKeysWithValues: try provider.readRecords(in: skills).map { ($0.id, $0.fields) })
        for (index, result) in stored.enumerated() {
            assertSameMeaning(result.record.fields, records[index], in: Self.skills)
            assertSameMeaning(read[result.record.id] ?? [:], records[index], in: Self.skills)
        }
    }

    /// Absent, empty, false and null are one value: written any of those ways, a cell reads back as absent.
    func ruleEmptyValuesReadBackAsNoValue() throws {
        let provider = try makeProvider()
        let (_, skills) = try catalog(provider)
        let empty: [String: FieldValue] = ["Key": .text("k"), "Name": .text(""), "Ready": .bool(false), "Tags": .list([]), "Plugin": .list([])]
        let stored = try XCTUnwrap(try provider.upsert([empty], in: skills, mergeOn: "Key").first)
        XCTAssertEqual(stored.record.fields, ["Key": .text("k")])
        XCTAssertEqual(try provider.readRecords(in: skills).first?.fields, ["Key": .text("k")])
        _ = try provider.update([RecordUpdate(id: stored.record.id, fields: ["Name": .text("n"), "Score": .number(0)])], in: skills)
        let cleared = try provider.update([RecordUpdate(id: stored.record.id, fields: ["Name": nil, "Score": nil])], in: skills)
        XCTAssertEqual(cleared.first?.fields, ["Key": .text("k")])
        XCTAssertEqual(try provider.readRecords(in: skills).first?.fields, ["Key": .text("k")])
    }

    /// Creates, repeats, updates and deletes in batches of the provider's limit: ids never change, a repeated
    /// upsert (a lost response retried) finds the record by key and says what it was, and deleting twice is fine.
    func ruleBatchesKeepIdsStableAndUpsertsNeverDuplicate() throws {
        let provider = try makeProvider()
        let (_, skills) = try catalog(provider)
        let count = min(40, 2 * provider.limits.maxRecordsPerBatch + 3)
        let records: [[String: FieldValue]] = (0..<count).map { ["Key": .text("k\($0)"), "Name": .text("n\($0)"), "Count": .number(Double($0))] }
        let created = try upsert(provider, records, in: skills)
        XCTAssertEqual(created.map(\.created), Array(repeating: true, count: count))
        XCTAssertEqual(created.map { $0.record.fields["Key"] }, records.map { $0["Key"] }, "results come back in input order")
        XCTAssertEqual(Set(created.map(\.record.id)).count, count)

        let repeated = try upsert(provider, records.map { $0.merging(["Name": .text("again")]) { _, new in new } }, in: skills)
        XCTAssertEqual(repeated.map(\.record.id), created.map(\.record.id), "an upsert on an existing key updates it")
        XCTAssertEqual(repeated.map(\.created), Array(repeating: false, count: count))
        XCTAssertEqual(repeated.first?.previous?.fields["Name"], .text("n0"), "the before-image of what was updated")
        XCTAssertEqual(repeated.first?.record.fields["Count"], .number(0), "cells not written keep their values")
        XCTAssertEqual(try provider.readRecords(in: skills).count, count, "no duplicates")

        let ids = created.map(\.record.id)
        let batch = Array(ids.prefix(provider.limits.maxRecordsPerBatch))
        let updated = try provider.update(batch.enumerated().map { RecordUpdate(id: $1, fields: ["Score": .number(Double($0) + 0.25)]) }, in: skills)
        XCTAssertEqual(updated.map(\.id), batch, "results in input order")
        XCTAssertEqual(updated.last?.fields["Score"], .number(Double(batch.count - 1) + 0.25))
        XCTAssertEqual(updated.first?.fields["Name"], .text("again"))

        try provider.delete(Array(ids.prefix(3)), in: skills)
        try provider.delete(Array(ids.prefix(3)), in: skills)
        let left = try provider.readRecords(in: skills)
        XCTAssertEqual(Set(left.map(\.id)), Set(ids.dropFirst(3)))
        XCTAssertThrowsError(try provider.update([RecordUpdate(id: ids[0], fields: ["Name": .text("gone")])], in: skills),
                             "an update of a deleted record is an error, not a create")
        XCTAssertThrowsError(try provider.upsert(Array(repeating: ["Key": .text("x")], count: provider.limits.maxRecordsPerBatch + 1),
                                                 in: skills, mergeOn: "Key"), "a batch over the limit is refused")
    }

    /// Links hold ids of records that exist: one pointing elsewhere refuses its batch, and a linked record's
    /// deletion takes it out of the cell, as Airtable shows it.
    func ruleLinksHoldIdsOfExistingRecords() throws {
        let provider = try makeProvider()
        let (plugins, skills) = try catalog(provider)
        let made = try provider.upsert([["Key": .text("p1")], ["Key": .text("p2")]], in: plugins, mergeOn: "Key").map(\.record.id)
        let skill = try XCTUnwrap(try provider.upsert([["Key": .text("s"), "Plugin": .list(made)]], in: skills, mergeOn: "Key").first)
        XCTAssertEqual(skill.record.fields["Plugin"], .list(made))
        XCTAssertThrowsError(try provider.upsert([["Key": .text("t"), "Plugin": .list(["recNoSuchRecord00"])]], in: skills, mergeOn: "Key"))
        XCTAssertEqual(try provider.readRecords(in: skills).map(\.id), [skill.record.id], "nothing of the refused batch was written")
        try provider.delete([made[0]], in: plugins)
        XCTAssertEqual(try provider.readRecords(in: skills).first?.fields["Plugin"], .list([made[1]]))
    }

    /// Names with quotes, a quote followed by a combining mark, semicolons, spaces and non-Latin scripts
    /// are names like any other: tables, fields and cells round-trip.
    func ruleHostileNamesAreNamesLikeAnyOther() throws {
        let provider = try makeProvider()
        let tableName = "Sk\"\u{301}lls; DROP TABLE x; -- 名前"
        let field = "Na\"\u{301}me'; --"
        let definition = TableDefinition(name: tableName, keyField: "K \"ey\"", fields: [
            FieldDefinition(name: "K \"ey\"", type: .singleLineText),
            FieldDefinition(name: field, type: .singleLineText),
            FieldDefinition(name: "Choice \"", type: .singleSelect, choices: ["it's", "\"q\"", "a,b", "{x}"]),
        ])
        let table = try provider.createTable(definition)
        let cells: [String: FieldValue] = ["K \"ey\"": .text("k'\"\u{301}"), field: .text("v"), "Choice \"": .text("{x}")]
        let stored = try XCTUnwrap(try provider.upsert([cells], in: table, mergeOn: "K \"ey\"").first)
        XCTAssertEqual(stored.record.fields, FieldCells(cells))
        let read = try XCTUnwrap(try provider.inspectSchema().table(named: tableName))
        XCTAssertEqual(read.fields.map(\.name), definition.fields.map(\.name))
        XCTAssertEqual(read.field(named: "Choice \"")?.choices, ["it's", "\"q\"", "a,b", "{x}"])
        XCTAssertEqual(try provider.readRecords(in: read).first?.fields, FieldCells(cells))
    }
}
