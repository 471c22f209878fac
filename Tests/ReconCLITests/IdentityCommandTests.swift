import Foundation
import TestSupport
import XCTest

/// One identity per table, field and record, through the real binary on a real SQLite base.
final class IdentityCommandTests: XCTestCase {
    private func applied() throws -> CLIProject {
        let project = CLIProject()
        project.skill("p", "a")
        project.skill("p", "b")
        project.repo.commit("two skills")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        return project
    }

    func testAKeyEditedInTheBaseIsDriftAndIsRestored() throws {
        let project = try applied()
        let key = "core:plugins/p/skills/a"
        let id = try XCTUnwrap(project.sql("SELECT _recon_id FROM Skills WHERE Key = '\(key)'").first)
        _ = project.sql("UPDATE Skills SET Key = 'typed by hand' WHERE _recon_id = '\(id)'")

        let drift = try project.recon("drift", "--no-color")
        XCTAssertEqual(drift.status, 2, drift.stdout + drift.stderr)
        XCTAssertTrue(drift.stdout.contains("typed by hand"), drift.stdout)
        let plan = try project.recon("plan", "-detailed-exitcode", "--no-color")
        XCTAssertEqual(plan.status, 2, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stdout.contains("Key: \"typed by hand\" → \"\(key)\""), plan.stdout)
        XCTAssertFalse(plan.stdout.contains("+ \(key)"), "restored in place, not created again: " + plan.stdout)

        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertEqual(project.sql("SELECT _recon_id FROM Skills WHERE Key = '\(key)'"), [id])
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills"), ["2"])
        XCTAssertEqual(try project.recon("plan", "-detailed-exitcode").status, 0)
    }

    func testAKeyEditedInTheBaseIsOnlyReportedUnderPolicyReport() throws {
        let project = try applied()
        let schema = project.path + "/manifests/schema.yaml"
        try (String(contentsOfFile: schema, encoding: .utf8) + "\npolicy: {drift: report}\n").write(toFile: schema, atomically: true, encoding: .utf8)
        _ = project.sql("UPDATE Skills SET Key = 'typed by hand' WHERE Key = 'core:plugins/p/skills/a'")
        let plan = try project.recon("plan", "-detailed-exitcode", "--no-color")
        XCTAssertTrue(plan.stdout.contains("typed by hand"), plan.stdout)
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills WHERE Key = 'typed by hand'"), ["1"], "reported, not written")
    }

    func testAFieldRemovedFromTheManifestsIsShownAsNoLongerManaged() throws {
        let project = try applied()
        let schema = project.path + "/manifests/schema.yaml"
        let text = try String(contentsOfFile: schema, encoding: .utf8)
        try text.replacingOccurrences(of: "      - {name: Status, type: singleSelect, choices: [Draft, Published]}\n", with: "")
            .replacingOccurrences(of: ", Status: {const: Draft}", with: "")
            .replacingOccurrences(of: "protected: {Skills: [Status]}", with: "")
            .write(toFile: schema, atomically: true, encoding: .utf8)

        let plan = try project.recon("plan", "--no-color")
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stdout.contains("~ field Skills.Status: no longer managed (kept in the base)"), plan.stdout)
        let markdown = try project.recon("plan", "--format", "markdown")
        XCTAssertTrue(markdown.stdout.contains("Skills.Status"), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains("no longer managed"), markdown.stdout)
        let json = try project.recon("plan", "--format", "json")
        XCTAssertTrue(json.stdout.contains(#""kind": "unmanage_field""#), json.stdout)

        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        XCTAssertEqual(project.sql("SELECT Status FROM Skills"), ["Draft", "Draft"], "no data deleted")
        let after = try project.recon("plan", "--no-color")
        XCTAssertFalse(after.stdout.contains("no longer managed"), "said once, then the state forgets it: " + after.stdout)
    }

    func testATableRenamedInTheBaseIsRenamedBack() throws {
        let project = try applied()
        _ = project.sql("ALTER TABLE Skills RENAME TO Abilities; UPDATE _recon_tables SET name = 'Abilities' WHERE name = 'Skills'")
        let plan = try project.recon("plan", "-detailed-exitcode", "--no-color")
        XCTAssertEqual(plan.status, 2, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stdout.contains("update table Skills"), plan.stdout)
        XCTAssertFalse(plan.stdout.contains("recreate"), plan.stdout)
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills"), ["2"])
        XCTAssertEqual(try project.recon("plan", "-detailed-exitcode").status, 0)
    }

    /// A table another tool made under a declared name is not planned as a create that apply then fails on.
    func testASQLiteTableReconDidNotCreateIsAManualItemNotACreate() throws {
        let project = CLIProject()
        project.skill("p", "a")
        project.repo.commit("one skill")
        try FileManager.default.createDirectory(atPath: project.path + "/state", withIntermediateDirectories: true)
        _ = project.sql("CREATE TABLE Skills (Key TEXT, Name TEXT, Owner TEXT); INSERT INTO Skills VALUES ('mine', 'Mine', 'me')")

        let plan = try project.recon("plan", "--no-color")
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertFalse(plan.stdout.contains("create table Skills"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("table 'Skills' is in the base but Recon did not create it"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("lacks the columns Plugin, Status"), plan.stdout)
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertEqual(project.sql("SELECT Key, Name, Owner FROM Skills"), ["mine|Mine|me"], "left alone")
        XCTAssertEqual(project.sql("SELECT count(*) FROM Plugins"), ["1"], "the rest of the plan applies")
    }

    /// `renamed_from` says a declared field is one the state already knows: renamed in place, values kept.
    func testAFieldRenamedInTheManifestsIsRenamedNotCreatedBesideAnOrphan() throws {
        let project = try applied()
        let schema = project.path + "/manifests/schema.yaml"
        let text = try String(contentsOfFile: schema, encoding: .utf8)
        let renamed = text
            .replacingOccurrences(of: "      - {name: Name, type: singleLineText}\n      - {name: Plugin",
                                  with: "      - {name: Title, type: singleLineText, renamed_from: Name}\n      - {name: Plugin")
            .replacingOccurrences(of: "fields: {Name: name, Plugin:", with: "fields: {Title: name, Plugin:")
        XCTAssertNotEqual(renamed, text)
        try renamed.write(toFile: schema, atomically: true, encoding: .utf8)

        let plan = try project.recon("plan", "-detailed-exitcode", "--no-color")
        XCTAssertEqual(plan.status, 2, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stdout.contains("update field Skills.Title"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("name: \"Name\" → \"Title\" (renamed in the manifests)"), plan.stdout)
        XCTAssertFalse(plan.stdout.contains("create field"), plan.stdout)
        XCTAssertFalse(plan.stdout.contains("no longer managed"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("Skills: 0 to add, 0 to change, 0 to delete, 2 state only"), "no record is rewritten: " + plan.stdout)
        XCTAssertFalse(plan.stdout.contains("reported only"), plan.stdout)
        let drift = try project.recon("drift", "--no-color")
        XCTAssertEqual(drift.status, 0, "a rename in the manifests is not drift: " + drift.stdout + drift.stderr)

        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertEqual(project.sql("SELECT Title FROM Skills ORDER BY Title"), ["a", "b"], "renamed in place, values kept")
        XCTAssertFalse(project.sql("SELECT name FROM pragma_table_info('Skills')").contains("Name"), "no orphan column")
        XCTAssertEqual(try project.recon("plan", "-detailed-exitcode").status, 0)
        try renamed.replacingOccurrences(of: ", renamed_from: Name", with: "").write(toFile: schema, atomically: true, encoding: .utf8)
        XCTAssertEqual(try project.recon("plan", "-detailed-exitcode").status, 0, "renamed_from may go once applied")
    }
}
