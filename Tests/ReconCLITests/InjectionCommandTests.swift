import Foundation
import TestSupport
import XCTest

/// The reported injection through the real binary: a field, then a table, named with a quote
/// and a combining mark followed by `DROP TABLE Victim`, on a new base and on an existing one.
final class InjectionCommandTests: XCTestCase {
    /// As YAML writes it: `x"` + U+0301 + `) ; DROP TABLE Victim; --`.
    static let yamlName = #""x\"\u0301) ; DROP TABLE Victim; --""#
    static let name = "x\"\u{301}) ; DROP TABLE Victim; --"

    func testTheInjectionNameIsOneColumnAndOneTableAndVictimSurvives() throws {
        let project = CLIProject()
        project.repo.write("plugins/alpha/plugin.json", #"{"name": "Alpha"}"#)
        project.repo.commit("one plugin")
        write(project, extraTable: false)
        project.directory.write("state/.keep", "")
        _ = project.sql("CREATE TABLE Victim (n INTEGER); INSERT INTO Victim VALUES (1), (2), (3);")

        let first = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(project.sql("SELECT count(*) FROM Victim"), ["3"], "new base: DROP TABLE Victim must not run")
        XCTAssertEqual(columns(project, "Plugins"), ["_recon_id", "Key", "Name", Self.name].map(hex))
        XCTAssertEqual(project.sql("SELECT hex(CAST(Name AS BLOB)) FROM Plugins"), [hex("Alpha")])

        write(project, extraTable: true)
        _ = project.sql("DROP TABLE IF EXISTS Victim; CREATE TABLE Victim (n INTEGER); INSERT INTO Victim VALUES (1), (2), (3);")
        let second = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(project.sql("SELECT count(*) FROM Victim"), ["3"], "existing base: DROP TABLE Victim must not run")
        XCTAssertEqual(columns(project, "Plugins"), ["_recon_id", "Key", "Name", Self.name, Self.name + "2"].map(hex))
        XCTAssertEqual(tables(project), ["Plugins", "Victim", Self.name].map(hex).sorted())
        XCTAssertEqual(try project.recon("plan", "-detailed-exitcode").status, 0, "the next plan finds nothing to do")
    }

    private func write(_ project: CLIProject, extraTable: Bool) {
        let name = Self.yamlName
        var lines = [
            "target: {provider: sqlite, database: state/catalog.sqlite}",
            "tables:",
            "  - name: Plugins",
            "    key: Key",
            "    fields:",
            "      - {name: Key, type: singleLineText}",
            "      - {name: Name, type: singleLineText}",
            "      - {name: \(name), type: singleLineText}",
        ]
        if extraTable {
            lines += [
                #"      - {name: "x\"\u0301) ; DROP TABLE Victim; --2", type: multilineText}"#,
                "  - name: \(name)",
                "    key: \(name)",
                "    fields:",
                "      - {name: \(name), type: singleLineText}",
            ]
        }
        lines += [
            "repos:",
            "  - name: core",
            "    path: \(project.repo.path)",
            "    extract:",
            "      - table: Plugins",
            "        files: [\"plugins/*/plugin.json\"]",
            "        as: json",
            "        root: .",
            "        fields:",
            "          Name: name",
            "          \(name): name",
        ]
        project.directory.write("manifests/schema.yaml", lines.joined(separator: "\n") + "\n")
    }

    /// Column names as hex of their UTF-8 bytes, so nothing is normalised on the way.
    private func columns(_ project: CLIProject, _ table: String) -> [String] {
        project.sql("SELECT hex(name) FROM pragma_table_info('\(table)') ORDER BY cid")
    }

    /// The base's tables but Recon's metadata and SQLite's own (`sqlite_sequence`, made by the change log).
    private func tables(_ project: CLIProject) -> [String] {
        project.sql("SELECT hex(name) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_recon\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY 1")
    }

    private func hex(_ text: String) -> String { text.utf8.map { String(format: "%02X", $0) }.joined() }
}
