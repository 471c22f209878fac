import ReconCore
import Remote
@testable import SQLiteBase
import TestSupport
import XCTest

/// A few hundred generated names through every statement that names a table or column
/// (create, add, rename, insert, update, select, delete, lookup index), on one real file; the
/// file must then hold exactly the declared tables and columns, byte for byte, and the Victim.
final class SQLiteNamePropertyTests: XCTestCase {
    func testGeneratedNamesBecomeExactlyTheDeclaredTablesAndColumns() throws {
        var generator = NameGenerator(seed: 0x5EED_0014)
        XCTAssertEqual(generator.byCategory.count, 29, "every general category but surrogates")
        var names = NameGenerator.positional + [SQLiteNameTests.injection]
        while names.count < 320 { names.append(generator.name()) }
        names.append(contentsOf: generator.byCategory.map { String(String.UnicodeScalarView($0.prefix(3))) })
        let usable = names.filter(Self.isUsable)
        XCTAssertGreaterThan(usable.count, 300)

        let scratch = TemporaryDirectory()
        let path = scratch.file("base.sqlite")
        try NameProbe.plantVictim(at: path)
        let base = SQLiteBase(path: path)
        var declared: [(name: String, columns: [String])] = []
        var tableNames: Set<String> = ["victim"]
        for chunk in stride(from: 0, to: usable.count, by: 16).map({ Array(usable[$0..<min($0 + 16, usable.count)]) }) {
            var seen = Set<String>()
            let fields = chunk.filter { seen.insert($0.lowercased()).inserted }
            guard fields.count >= 6, let tableName = fields.first(where: { !$0.hasPrefix("_recon_") && !$0.lowercased().hasPrefix("sqlite_") && tableNames.insert($0.lowercased()).inserted }) else { continue }
            declared.append(try exercise(base, table: tableName, fields: fields))
        }
        XCTAssertGreaterThanOrEqual(declared.count, 15)

        let probe = try NameProbe(path: path)
        XCTAssertEqual(try probe.victimRows(), 3, "nothing else ran")
        XCTAssertEqual(try probe.userTables(), NameProbe.bytes(declared.map(\.name) + ["Victim"]).sorted { $0.lexicographicallyPrecedes($1) })
        for table in declared {
            XCTAssertEqual(try probe.columns(of: table.name), NameProbe.bytes(["_recon_id"] + table.columns), "columns of \(table.name.debugDescription)")
        }
        let others = try probe.objects().filter { $0.type != "table" }
        XCTAssertTrue(others.allSatisfy { $0.type == "index" && ($0.name.starts(with: Array("_recon_".utf8)) || $0.name.starts(with: Array("sqlite_autoindex_".utf8))) },
                      "only Recon's own indexes: \(others.map { String(decoding: $0.name, as: UTF8.self) })")
        let schema = try SQLiteBase(path: path).inspectSchema()
        XCTAssertEqual(schema.tables.map { Array($0.name.utf8) }, NameProbe.bytes(declared.map(\.name)))
        XCTAssertEqual(schema.tables.map { $0.fields.map { Array($0.name.utf8) } }, declared.map { NameProbe.bytes($0.columns) })
    }

    /// Creates `table` with half the fields, adds the rest, renames one, writes, updates,
    /// deletes and reads records; returns the columns the file should now have, in order.
    private func exercise(_ base: SQLiteBase, table name: String, fields: [String]) throws -> (name: String, columns: [String]) {
        let key = fields[0], merge = fields[1], renamed = fields[2]
        let half = fields.count / 2
        let created = try base.createTable(TableDefinition(name: name, keyField: key, fields: fields[..<half].map {
            FieldDefinition(name: $0, type: .singleLineText, description: $0)
        }))
        for field in fields[half...] {
            let type: FieldType.Name = field.unicodeScalars.count.isMultiple(of: 3) ? .multipleSelects : .multilineText
            _ = try base.createField(FieldDefinition(name: field, type: type, choices: type == .multipleSelects ? [field] : nil), in: created)
        }
        let newName = renamed + "\"\u{301}"
        var current = try XCTUnwrap(try base.inspectSchema().table(id: created.id))
        try base.updateField(try XCTUnwrap(current.field(named: renamed)), in: current, name: newName, choices: nil)
        current = try XCTUnwrap(try base.inspectSchema().table(id: created.id))
        let columns = fields.map { $0 == renamed ? newName : $0 }

        func record(_ tag: String) -> [String: FieldValue] {
            Dictionary(uniqueKeysWithValues: current.fields.map { field in
                (field.name, field.type == "multipleSelects" ? .list([field.name + tag]) : .text(field.name + tag))
            })
        }
        let written = try base.upsert([record("1"), record("2")], in: current, mergeOn: key)
        _ = try base.upsert([record("2")], in: current, mergeOn: merge)
        _ = try base.update([RecordUpdate(id: written[0].record.id, fields: [newName: .text("changed")])], in: current)
        try base.delete([written[1].record.id], in: current)

        let read = try SQLiteBase(path: base.path).readRecords(in: current)
        var expected = record("1")
        expected[newName] = .text("changed")
        XCTAssertEqual(read.map(\.id), [written[0].record.id], "table \(name.debugDescription)")
        for (field, value) in expected {
            XCTAssertEqual(read.first?.fields[field].map(Self.bytes), Self.bytes(value), "\(name.debugDescription).\(field.debugDescription)")
        }
        return (name, columns)
    }

    /// Names the provider refuses by design (reserved prefixes, NUL, empty) are not generated.
    private static func isUsable(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains("\u{0}") && !name.lowercased().hasPrefix("_recon_")
    }

    /// A value as bytes, so canonically equal but different strings do not compare equal.
    private static func bytes(_ value: FieldValue) -> [[UInt8]] {
        switch value {
        case .text(let text): [Array(text.utf8)]
        case .list(let items): items.map { Array($0.utf8) }
        default: [Array("\(value)".utf8)]
        }
    }
}
