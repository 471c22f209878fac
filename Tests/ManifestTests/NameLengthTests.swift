import Foundation
import ReconCore
import XCTest
@testable import Manifest

/// Names and closed-set words (types, `as`, built-ins) are at most 255 bytes, checked before
/// anything compares or suggests: a 5 MB field type took over 5 s in the did-you-mean and was
/// echoed whole in the error.
final class NameLengthTests: XCTestCase {
    private let huge = String(repeating: "x", count: 5_000_000)

    private func errors(_ text: String) -> [Diagnostic] {
        do {
            _ = try ManifestLoader().load(sources: [(path: "schema.yaml", bytes: Array(text.utf8))])
            XCTFail("expected errors, the manifest loaded")
            return []
        } catch {
            return error.errors
        }
    }

    private func manifest(type: String = "singleLineText", table: String = "Skills", field: String = "Name",
                          builtin: String = "$title", format: String = "frontmatter") -> String {
        """
        tables:
          - name: \(table)
            key: Key
            fields:
              - {name: Key, type: singleLineText}
              - name: \(field)
                type: \(type)
        repos:
          - name: core
            path: ../core
            extract:
              - table: Skills
                files: ["**/SKILL.md"]
                as: \(format)
                fields: {Name: \(builtin)}
        """
    }

    func testAFiveMegabyteFieldTypeIsRefusedAtItsLineWithoutEchoingIt() throws {
        let start = Date()
        let found = errors(manifest(type: huge))
        let elapsed = Date().timeIntervalSince(start)
        let error = try XCTUnwrap(found.first, "expected an error")
        XCTAssertEqual(error.location, SourceLocation(file: "schema.yaml", line: 7, column: 15))
        XCTAssertTrue(error.message.contains("5000000 bytes"), String(error.message.prefix(300)))
        for diagnostic in found {
            XCTAssertLessThan(diagnostic.description.utf8.count, 1_000, "an error echoes the value")
        }
        // Not a benchmark: about 0.1 s when fixed, over 20 s (debug) when the did-you-mean ran on it.
        XCTAssertLessThan(elapsed, 10, "took \(elapsed) s")
    }

    func testHugeNamesAndWordsAreRefusedAtTheirLines() throws {
        let cases: [(String, Int, Int, String)] = [
            (manifest(table: huge), 2, 11, "table name"),
            (manifest(field: huge), 6, 15, "field name"),
            (manifest(builtin: "$" + huge), 15, 24, "built-in"),
            (manifest(format: huge), 14, 13, "'as'"),
        ]
        for (text, line, column, what) in cases {
            let found = errors(text)
            let error = try XCTUnwrap(found.first { $0.location?.line == line }, "\(what): \(found.map { $0.description.prefix(200) })")
            XCTAssertEqual(error.location?.column, column, what)
            XCTAssertTrue(error.message.contains("bytes long; at most 255 are allowed"), "\(what): \(error.message.prefix(300))")
            XCTAssertTrue(error.message.contains(what), "\(what): \(error.message.prefix(300))")
            for diagnostic in found {
                XCTAssertLessThan(diagnostic.description.utf8.count, 1_000, "\(what): an error echoes the value")
            }
        }
    }

    func testANameOf255BytesIsStillAccepted() throws {
        let name = String(repeating: "é", count: 127) + "x"
        XCTAssertEqual(name.utf8.count, 255)
        let text = manifest(field: name).replacingOccurrences(of: "fields: {Name: $title}", with: "fields: {\(name): $title}")
        let loaded = try ManifestLoader().load(sources: [(path: "schema.yaml", bytes: Array(text.utf8))])
        XCTAssertEqual(loaded.tables.first?.fields.last?.name, name)
    }
}
