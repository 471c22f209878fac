import ReconCore
import Remote
@testable import SQLiteBase
import TestSupport
import XCTest

/// Text values are stored byte for byte: a NUL or another control character is data, not an end.
final class SQLiteControlCharacterTests: XCTestCase {
    static let value = "a\u{0}b\u{1}c\u{1F}\u{7F}\u{85}d\u{0}"

    func testNULAndControlCharactersInValuesAreStoredAndReadExactly() throws {
        let scratch = TemporaryDirectory()
        let (base, plugins, skills) = try Fixtures.base(in: scratch)
        let key = "core:\u{0}key"
        let plugin = try base.upsert([["Key": .text(key), "Name": .text(Self.value)]], in: plugins, mergeOn: "Key")[0]
        let again = try base.upsert([["Key": .text(key), "Name": .text(Self.value)]], in: plugins, mergeOn: "Key")[0]
        XCTAssertFalse(again.created, "the key with a NUL matches itself, not a prefix")
        _ = try base.upsert([["Key": .text("core:"), "Name": .text("prefix")]], in: plugins, mergeOn: "Key")
        let skill = try base.upsert([["Key": .text("s"), "Tags": .list([Self.value, "x\u{0}"]), "Description": .text(Self.value)]],
                                    in: skills, mergeOn: "Key")[0]
        try base.updateField(plugins.field(named: "Name")!, in: plugins, description: "names\u{0}hidden")
        XCTAssertEqual(plugin.record.id, again.record.id)

        let reopened = SQLiteBase(path: base.path)
        let schema = try reopened.inspectSchema()
        let readPlugins = try reopened.readRecords(in: schema.table(id: plugins.id)!)
        XCTAssertEqual(readPlugins.map { $0.fields["Key"].map(Self.bytes) }, [Self.bytes(.text(key)), Self.bytes(.text("core:"))])
        XCTAssertEqual(readPlugins.first?.fields["Name"].map(Self.bytes), Self.bytes(.text(Self.value)))
        let readSkill = try XCTUnwrap(try reopened.readRecords(in: schema.table(id: skills.id)!).first)
        XCTAssertEqual(readSkill.fields["Description"].map(Self.bytes), Self.bytes(.text(Self.value)))
        XCTAssertEqual(readSkill.fields["Tags"], .list([Self.value, "x\u{0}"]))
        XCTAssertEqual(readSkill.fields, skill.record.fields, "the write's answer equals what a fresh read finds")
        XCTAssertEqual(schema.table(id: plugins.id)?.field(named: "Name")?.description.map { Array($0.utf8) }, Array("names\u{0}hidden".utf8))

        let raw = try Fixtures.rawConnection(base.path)
        let length = try raw.prepare("SELECT length(CAST(\"Name\" AS BLOB)) FROM \"Plugins\" WHERE \"Name\" = ?")
        try length.bind(1, Self.value)
        XCTAssertTrue(try length.step(), "the stored cell equals the whole value")
        XCTAssertEqual(length.int(0), Self.value.utf8.count)
    }

    private static func bytes(_ value: FieldValue) -> [UInt8] {
        guard case .text(let text) = value else { return [] }
        return Array(text.utf8)
    }
}
