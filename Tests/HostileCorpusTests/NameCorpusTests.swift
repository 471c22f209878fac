import Foundation
import Manifest
import ReconCore
import TestSupport
import XCTest

/// `Corpus/names`: repo names that look like paths, and table and field names over every Unicode
/// general category and SQL's metacharacters. A name is either refused by validate at its own
/// line and column, or used exactly: no trimming, no normalizing, no SQL injected.
final class NameCorpusTests: XCTestCase {
    func testRepoNamesAreRefusedAtValidateOrKeptExactly() throws {
        let list = try NameList("repo-names.txt")
        XCTAssertGreaterThanOrEqual(list.entries.count, 20)
        for entry in list.entries {
            let text = """
                tables:
                  - name: Skills
                    key: Key
                    fields:
                      - {name: Key, type: singleLineText}
                repos:
                  - name: \(NameList.yamlQuoted(entry.name))
                    path: ../core
                    extract:
                      - {table: Skills, files: ["*.md"], as: frontmatter, fields: {}}
                """
            let shown = "repo-names.txt:\(entry.line) '\(NameList.shown(entry.name))'"
            do {
                let manifest = try ManifestLoader().load(sources: [("repos.yaml", Array(text.utf8))])
                XCTAssertEqual(entry.outcome, "ok", "\(shown): validate accepted it")
                XCTAssertEqual(manifest.repos.first?.name.unicodeScalars.elementsEqual(entry.name.unicodeScalars), true, shown)
            } catch {
                XCTAssertEqual(entry.outcome, "refused", "\(shown): \(error.errors)")
                assertError(in: error, at: 7, 11, file: "repos.yaml", shown)
            }
        }
        print("Repo name corpus: \(list.entries.count) cases")
    }

    func testTableAndFieldNamesAreRefusedAtValidateOrBecomeExactlyThatIdentifier() throws {
        let list = try NameList("sql-names.txt")
        XCTAssertGreaterThanOrEqual(list.entries.count, 45)
        var exact: [String] = []
        for entry in list.entries {
            let shown = "sql-names.txt:\(entry.line) '\(NameList.shown(entry.name))'"
            let text = "tables:\n" + table(entry.name)
            do {
                _ = try ManifestLoader().load(sources: [("schema.yaml", Array(text.utf8))])
                XCTAssertEqual(entry.outcome, "exact", "\(shown): validate accepted it")
                exact.append(entry.name)
            } catch {
                XCTAssertEqual(entry.outcome, "refused", "\(shown): \(error.errors)")
                assertError(in: error, at: 2, 11, file: "schema.yaml", "\(shown) as a table name")
                assertError(in: error, at: 6, 16, file: "schema.yaml", "\(shown) as a field name")
            }
        }

        // Every accepted name at once through the real binary, then read back with the sqlite3 tool.
        let project = TemporaryDirectory("names")
        project.write("manifests/schema.yaml", "target: {provider: sqlite, database: base.sqlite}\ntables:\n"
                      + exact.map(table).joined())
        let result = try ReconProcess.run(["apply", "--auto-approve"], in: project.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let columns = try sqliteColumns(project.file("base.sqlite"))
        for name in exact {
            let found = columns.first { $0.table.unicodeScalars.elementsEqual(name.unicodeScalars) }
            XCTAssertNotNil(found, "no SQLite table named exactly '\(NameList.shown(name))'")
            XCTAssertEqual(Set(found?.columns ?? []).contains { $0.unicodeScalars.elementsEqual(name.unicodeScalars) }, true,
                           "no column named exactly '\(NameList.shown(name))' in \((found?.columns ?? []).map(NameList.shown))")
        }
        let user = columns.filter { !$0.table.hasPrefix("_recon_") && !$0.table.hasPrefix("sqlite_") }
        XCTAssertEqual(user.count, exact.count, "tables: \(user.map { NameList.shown($0.table) })")
        print("SQL name corpus: \(list.entries.count) cases")
    }

    /// One table named `name`, keyed on `Key`, with a field of the same name (line 2 and line 6 of it).
    private func table(_ name: String) -> String {
        """
          - name: \(NameList.yamlQuoted(name))
            key: Key
            fields:
              - {name: Key, type: singleLineText}
              - {name: \(NameList.yamlQuoted(name)), type: singleLineText}

        """
    }

    private func assertError(in error: DiagnosticsError, at line: Int, _ column: Int, file: String, _ shown: String,
                             sourceFile: StaticString = #filePath, sourceLine: UInt = #line) {
        let here = error.errors.filter { $0.location?.file == file && $0.location?.line == line && $0.location?.column == column }
        XCTAssertFalse(here.isEmpty, "\(shown): expected an error at \(file):\(line):\(column), got \(error.errors)",
                       file: sourceFile, line: sourceLine)
    }

    private func sqliteColumns(_ database: String) throws -> [(table: String, columns: [String])] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", "-json", database,
                             "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var tables: [String: [String]] = [:]
        for row in try JSONParser.parse([UInt8](data)).arrayValue ?? [] {
            tables[row["t"]?.stringValue ?? "", default: []].append(row["c"]?.stringValue ?? "")
        }
        return tables.map { ($0.key, $0.value) }
    }
}
