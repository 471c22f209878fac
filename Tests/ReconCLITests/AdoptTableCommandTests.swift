import Foundation
import TestSupport
import XCTest

/// A SQLite table Recon did not create, made with the sqlite3 CLI: adopted when it fits the manifests, otherwise a
/// manual item saying what does not fit. Through the real binary on a real SQLite file.
final class AdoptTableCommandTests: XCTestCase {
    private let key = "core:plugins/p/skills/a"

    /// One skill in the repo; `Skills` made by hand with `columns` and `rows` (SQL), before any apply.
    private func project(_ columns: String, _ rows: String, options: String = "") throws -> CLIProject {
        let project = CLIProject()
        project.skill("p", "a")
        project.repo.commit("one skill")
        try FileManager.default.createDirectory(atPath: project.path + "/state", withIntermediateDirectories: true)
        _ = project.sql("CREATE TABLE Skills (\(columns)) \(options); \(rows)")
        return project
    }

    private var fitting: (columns: String, rows: String) {
        ("Key TEXT, Name TEXT, Status TEXT, Extra", """
            INSERT INTO Skills VALUES ('\(key)', 'old name', 'Published', x'00ff10');
            INSERT INTO Skills VALUES ('by hand', 'Mine', NULL, 42);
            """)
    }

    func testAFittingTableIsAdoptedItsRowsKeptAndNothingIsLeftToPlan() throws {
        let project = try project(fitting.columns, fitting.rows)
        let undeclared = project.sql("SELECT Key, hex(Extra), typeof(Extra) FROM Skills ORDER BY Key")

        let plan = try project.recon("plan", "-detailed-exitcode", "--no-color")
        XCTAssertEqual(plan.status, 2, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stdout.contains("adopt table Skills"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("create field Skills.Plugin"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("\(key) already in the base with the same key; adopt"), plan.stdout)
        XCTAssertFalse(plan.stdout.contains("Recon did not create it"), plan.stdout)
        XCTAssertFalse(plan.stdout.contains("create table Skills"), plan.stdout)
        let json = try project.recon("plan", "--format", "json")
        XCTAssertTrue(json.stdout.contains("\"adopt_table\""), json.stdout)
        let markdown = try project.recon("plan", "--format", "markdown")
        XCTAssertTrue(markdown.stdout.contains("adopt table Skills"), markdown.stdout)

        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills"), ["2"], "every row kept, none created beside it")
        XCTAssertEqual(project.sql("SELECT Key, hex(Extra), typeof(Extra) FROM Skills ORDER BY Key"), undeclared, "undeclared column untouched")
        XCTAssertEqual(project.sql("SELECT Name, Status FROM Skills WHERE Key = '\(key)'"), ["a|Published"], "managed value updated, protected kept")
        XCTAssertEqual(project.sql("SELECT Name, Status FROM Skills WHERE Key = 'by hand'"), ["Mine|"], "a row not declared is left alone")
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills WHERE _recon_id LIKE 'rec%' AND length(_recon_id) = 17"), ["2"])
        XCTAssertEqual(project.sql("SELECT count(*) FROM _recon_tables WHERE name = 'Skills'"), ["1"])
        XCTAssertEqual(project.sql("SELECT count(*) FROM Plugins"), ["1"])
        let link = project.sql("SELECT Plugin FROM Skills WHERE Key = '\(key)'").first ?? ""
        XCTAssertTrue(link.hasPrefix("[\"rec"), "the link field created after adoption is written: \(link)")

        let again = try project.recon("plan", "-detailed-exitcode", "--no-color")
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        let drift = try project.recon("drift", "--no-color")
        XCTAssertEqual(drift.status, 0, drift.stdout + drift.stderr)
    }

    func testARepeatedKeyIsAManualItemNamingTheRowsAndNothingIsWritten() throws {
        let project = try project("Key TEXT, Name TEXT", """
            INSERT INTO Skills VALUES ('\(key)', 'one'); INSERT INTO Skills VALUES ('\(key)', 'two');
            """)
        try assertNotAdopted(project, cause: "the key '\(key)' is on 2 rows (rowid 1, rowid 2)")
    }

    func testAMissingKeyIsAManualItemNamingTheRow() throws {
        let project = try project("Key TEXT, Name TEXT", """
            INSERT INTO Skills VALUES ('\(key)', 'one'); INSERT INTO Skills VALUES (NULL, 'two'); INSERT INTO Skills VALUES ('', 'three');
            """)
        try assertNotAdopted(project, cause: "rowid 2, rowid 3 have no key (NULL or empty)")
    }

    func testAColumnThatCannotHoldTheDeclaredTypeIsAManualItemNamingIt() throws {
        let project = try project("Key TEXT, Name INTEGER", "INSERT INTO Skills VALUES ('\(key)', 1);")
        try assertNotAdopted(project, cause: "its column 'Name' cannot hold singleLineText")
    }

    func testAKeyThatIsNotTextIsAManualItem() throws {
        let project = try project("Key TEXT, Name TEXT", "INSERT INTO Skills VALUES (x'07', 'seven');")
        try assertNotAdopted(project, cause: "rowid 1 has a key that is not text")
    }

    func testAWithoutRowIDTableIsAManualItem() throws {
        let project = try project("Key TEXT PRIMARY KEY, Name TEXT", "INSERT INTO Skills VALUES ('\(key)', 'one');", options: "WITHOUT\n ROWID")
        try assertNotAdopted(project, cause: "it is a WITHOUT ROWID table")
    }

    func testATableWithAReconIDColumnAlreadyIsAManualItem() throws {
        let project = try project("Key TEXT, Name TEXT, _recon_id TEXT", "INSERT INTO Skills VALUES ('\(key)', 'one', 'mine');")
        try assertNotAdopted(project, cause: "it already has a column '_recon_id'")
    }

    private func assertNotAdopted(_ project: CLIProject, cause: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let dump = project.sql(".dump Skills")
        let plan = try project.recon("plan", "--no-color")
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr, file: file, line: line)
        XCTAssertTrue(plan.stdout.contains("table 'Skills' is in the base but Recon did not create it"), plan.stdout, file: file, line: line)
        XCTAssertTrue(plan.stdout.contains(cause), plan.stdout, file: file, line: line)
        XCTAssertFalse(plan.stdout.contains("adopt table"), plan.stdout, file: file, line: line)
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr, file: file, line: line)
        XCTAssertEqual(project.sql(".dump Skills"), dump, "nothing written to the table", file: file, line: line)
        XCTAssertEqual(project.sql("SELECT count(*) FROM _recon_tables WHERE name = 'Skills'"), ["0"], file: file, line: line)
    }

    /// A saved plan adopting the table is re-derived at apply: a table that no longer fits refuses it.
    func testASavedAdoptionIsRefusedWhenTheTableChangedShape() throws {
        let project = try project(fitting.columns, fitting.rows)
        let saved = try project.recon("plan", "-out", "plan.json")
        XCTAssertEqual(saved.status, 0, saved.stdout + saved.stderr)
        _ = project.sql("DROP TABLE Skills; CREATE TABLE Skills (Key TEXT, Name INTEGER, Status TEXT, Extra); INSERT INTO Skills VALUES ('\(key)', 1, NULL, NULL)")
        let dump = project.sql(".dump Skills")

        let applied = try project.recon("apply", "plan.json", "--auto-approve")
        XCTAssertNotEqual(applied.status, 0, applied.stdout + applied.stderr)
        XCTAssertTrue((applied.stdout + applied.stderr).contains("adopt the table"), applied.stdout + applied.stderr)
        XCTAssertEqual(project.sql(".dump Skills"), dump, "nothing written")
        XCTAssertEqual(project.sql("SELECT count(*) FROM sqlite_master WHERE name = '_recon_tables'").first.flatMap { $0 == "1" ? project.sql("SELECT count(*) FROM _recon_tables WHERE name = 'Skills'") : ["0"] }, ["0"])
    }

    /// A saved plan adopting the table applies when the table is as it was, the rows found by key after adoption.
    func testASavedAdoptionAppliesWhenTheTableIsUnchanged() throws {
        let project = try project(fitting.columns, fitting.rows)
        XCTAssertEqual(try project.recon("plan", "-out", "plan.json").status, 0)
        let applied = try project.recon("apply", "plan.json", "--auto-approve")
        XCTAssertEqual(applied.status, 0, applied.stdout + applied.stderr)
        XCTAssertEqual(project.sql("SELECT Name, Status FROM Skills WHERE Key = '\(key)'"), ["a|Published"])
        XCTAssertEqual(try project.recon("plan", "-detailed-exitcode").status, 0)
    }

    /// Names are quoted over Unicode scalars: a table and columns with quotes and accents are adopted, cells kept.
    func testATableWithHostileNamesIsAdoptedQuoted() throws {
        let project = CLIProject()
        project.skill("p", "a")
        project.repo.commit("one skill")
        let schema = project.path + "/manifests/schema.yaml"
        let text = try String(contentsOfFile: schema, encoding: .utf8)
        let hostile = text.replacingOccurrences(of: "name: Skills", with: "name: 'Sk\"i''lls é'")
            .replacingOccurrences(of: "table: Skills", with: "table: 'Sk\"i''lls é'")
            .replacingOccurrences(of: "protected: {Skills:", with: "protected: {'Sk\"i''lls é':")
        XCTAssertNotEqual(hostile, text)
        try hostile.write(toFile: schema, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: project.path + "/state", withIntermediateDirectories: true)
        let table = "\"Sk\"\"i'lls é\""
        _ = project.sql("CREATE TABLE \(table) (Key TEXT, Name TEXT, \"we\"\"ird ✓\" TEXT); INSERT INTO \(table) VALUES ('\(key)', 'old', 'kept')")

        let plan = try project.recon("plan", "--no-color")
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stdout.contains("adopt table Sk\"i'lls é"), plan.stdout)
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertEqual(project.sql("SELECT Key, Name, \"we\"\"ird ✓\" FROM \(table)"), ["\(key)|a|kept"])
        XCTAssertEqual(try project.recon("plan", "-detailed-exitcode").status, 0)
    }

    /// Decided: a rollback puts the adopted records' values back; the adoption of the table itself stays.
    func testARollbackRestoresTheAdoptedRowsAndKeepsTheAdoption() throws {
        let project = try project(fitting.columns, fitting.rows)
        let before = project.sql("SELECT Key, Name, Status, hex(Extra) FROM Skills ORDER BY Key")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(key)'"), ["a"])
        let listing = try project.recon("runs", "--format", "json")
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any])
        let run = try XCTUnwrap((document["runs"] as? [[String: Any]])?.first?["id"] as? String)

        let saved = try project.recon("rollback", run, "-out", "undo.json")
        XCTAssertEqual(saved.status, 0, saved.stdout + saved.stderr)
        let undone = try project.recon("apply", "undo.json", "--auto-approve")
        XCTAssertEqual(undone.status, 0, undone.stdout + undone.stderr)
        XCTAssertEqual(project.sql("SELECT Key, Name, Status, hex(Extra) FROM Skills ORDER BY Key"), before, "values as they were")
        XCTAssertEqual(project.sql("SELECT count(*) FROM _recon_tables WHERE name = 'Skills'"), ["1"], "still Recon's")
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills WHERE _recon_id IS NOT NULL"), ["2"])
    }
}
