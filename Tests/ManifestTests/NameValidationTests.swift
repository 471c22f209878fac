import Foundation
import ReconCore
import TestSupport
import XCTest
@testable import Manifest

/// Table and field names: any character but a control character is a valid name, kept exactly;
/// a control character anywhere is refused at the name's line and column.
final class NameValidationTests: XCTestCase {
    func testGeneratedNamesWithoutControlCharactersLoadExactly() throws {
        var generator = NameGenerator(seed: 0x5EED_0014)
        var names = NameGenerator.positional
        while names.count < 300 { names.append(generator.name()) }
        var seen = Set<String>()
        let valid = names.filter { name in
            !name.unicodeScalars.contains { $0.properties.generalCategory == .control } && seen.insert(name).inserted
        }
        XCTAssertGreaterThan(valid.count, 250)

        let manifest = try ManifestLoader().load(sources: [("names.yaml", Array(Self.manifest(valid).utf8))])
        XCTAssertEqual(manifest.tables.map { Array($0.name.utf8) }, valid.map { Array($0.utf8) })
        XCTAssertEqual(manifest.tables.map { $0.fields.map { Array($0.name.utf8) } }, valid.map { [Array($0.utf8)] })
    }

    func testEveryControlCharacterInANameIsRefusedAtItsLocation() throws {
        let controls = (0x00...0x1F).map { $0 } + (0x7F...0x9F).map { $0 }
        let names = controls.map { "a" + String(Unicode.Scalar($0)!) + "\"\u{301}" }
        do {
            _ = try ManifestLoader().load(sources: [("names.yaml", Array(Self.manifest(names).utf8))])
            XCTFail("names with control characters loaded")
        } catch {
            let table = error.errors.filter { $0.description.contains("table name") }
            let field = error.errors.filter { $0.description.contains("field name") }
            XCTAssertEqual(table.count, controls.count)
            XCTAssertEqual(field.count, controls.count)
            XCTAssertEqual(table.map { $0.location?.line }, controls.indices.map { 2 + 4 * $0 }, "each table's name line")
            XCTAssertEqual(field.map { $0.location?.line }, controls.indices.map { 5 + 4 * $0 }, "each field's name line")
            XCTAssertTrue(table.allSatisfy { $0.location?.file == "names.yaml" && ($0.location?.column ?? 0) > 0 })
            for (diagnostic, value) in zip(table, controls) {
                XCTAssertTrue(diagnostic.description.contains(String(format: "(U+%04X)", value)), diagnostic.description)
            }
        }
    }

    /// One table per name, its only field (the key) named the same; names written as YAML escapes.
    private static func manifest(_ names: [String]) -> String {
        var text = "tables:\n"
        for name in names {
            let quoted = yaml(name)
            text += "  - name: \(quoted)\n    key: \(quoted)\n    fields:\n      - {name: \(quoted), type: singleLineText}\n"
        }
        return text
    }

    private static func yaml(_ name: String) -> String {
        "\"" + name.unicodeScalars.map { String(format: "\\U%08X", $0.value) }.joined() + "\""
    }
}
