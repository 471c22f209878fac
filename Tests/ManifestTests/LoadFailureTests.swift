import ReconCore
import XCTest
@testable import Manifest

/// A file that fails to load may have declared any table: references to tables that no other
/// file declares are not reported, since they would only echo the file that failed.
final class LoadFailureTests: XCTestCase {
    private let target = "target: {provider: airtable, base: appXXXXXXXXXXXXXX}\n"
    private let schema = Array("tables:\n  - name: Skills\n    key: Key\n    description: \"caf".utf8) + [0xE9] + Array("\"\n    fields: [{name: Key, type: singleLineText}]\n".utf8)
    private let others = """
        tables:
          - name: Tags
            key: Key
            fields:
              - {name: Key, type: singleLineText}
              - {name: Skills, type: multipleRecordLinks, table: Skills}
        protected:
          Skills: [Notes]
        repos:
          - name: core
            path: ../core
            extract:
              - table: Skills
                files: ["**/SKILL.md"]
                as: frontmatter
                fields: {Name: name}
        """

    private func errors(_ sources: [(String, [UInt8])]) -> [Diagnostic] {
        do {
            _ = try ManifestLoader().load(sources: sources.map { (path: $0.0, bytes: $0.1) })
            XCTFail("expected errors, the manifest loaded")
            return []
        } catch {
            return error.errors
        }
    }

    func testAFileThatFailsToLoadIsTheOnlyErrorWhenOthersNameItsTables() throws {
        let found = errors([("m/a.yaml", Array(target.utf8)), ("m/schema.yaml", schema), ("m/sources.yaml", Array(others.utf8))])
        XCTAssertEqual(found.map(\.description), ["m/schema.yaml:4:22: error: the byte 0xE9 is not valid UTF-8\n"
            + "  YAML is read as UTF-8 (or UTF-16 with a byte order mark): save the file as UTF-8"])
    }

    func testOtherProblemsOfTheFilesThatLoadedAreStillReported() throws {
        let typo = others.replacingOccurrences(of: "files: [", with: "flies: [")
        let found = errors([("m/a.yaml", Array(target.utf8)), ("m/schema.yaml", schema), ("m/sources.yaml", Array(typo.utf8))])
        XCTAssertEqual(found.count, 3, found.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(found.map(\.location?.file), ["m/schema.yaml", "m/sources.yaml", "m/sources.yaml"])
        XCTAssertTrue(found.contains { $0.message.contains("unknown key 'flies'") })
        XCTAssertTrue(found.contains { $0.message.contains("missing the required key 'files'") })
    }

    func testWhenEveryFileLoadsAnUndeclaredTableIsStillAnError() throws {
        let found = errors([("m/a.yaml", Array(target.utf8)), ("m/sources.yaml", Array(others.utf8))])
        let messages = found.map(\.message)
        XCTAssertTrue(messages.contains("field 'Skills' of table 'Tags' links to undeclared table 'Skills'"), "\(messages)")
        XCTAssertTrue(messages.contains("protected fields name undeclared table 'Skills'"), "\(messages)")
        XCTAssertTrue(messages.contains("extract rule names undeclared table 'Skills'"), "\(messages)")
    }

    func testSQLiteNamingRulesWaitForTheTargetWhenItsFileFailed() throws {
        let broken = Array("target: {provider: airtable, base: app".utf8) + [0xFF] + Array("}\n".utf8)
        let tables = "tables:\n  - name: Docs\n    key: Key\n    fields:\n      - {name: Key, type: singleLineText}\n      - {name: KEY, type: singleLineText}\n"
        let found = errors([("m/a.yaml", broken), ("m/b.yaml", Array(tables.utf8))])
        XCTAssertEqual(found.map(\.message), ["the byte 0xFF is not valid UTF-8"])
        // With the target read, the same names are checked as SQLite sees them.
        let sqlite = errors([("m/a.yaml", Array("target: {provider: sqlite}\n".utf8)), ("m/b.yaml", Array(tables.utf8))])
        XCTAssertEqual(sqlite.count, 1)
        XCTAssertTrue(sqlite.first?.message.contains("is the same as 'Key' to SQLite") == true, "\(sqlite)")
    }
}
