import Foundation
import Postgres
import TestSupport
import XCTest

/// The real `recon` against a PostgreSQL base (issue 9, point 5): plan, apply, a no-op plan, drift after a
/// hand edit in the base, and rollback, against the test cluster with a schema of its own per test.
final class PostgresBaseCommandTests: XCTestCase {
    private func project(schema: String) -> CLIProject { CLIProject.postgresBase(schema: schema) }

    private func recon(_ project: CLIProject, _ arguments: String..., uri: String) throws -> ReconProcess.Result {
        try ReconProcess.run(arguments, in: project.path, environment: ["TEAM_BASE_URL": uri])
    }

    private func dropSchemas(_ schema: String, _ uri: String) throws { try CLIProject.dropPostgresBase(schema, uri: uri) }

    /// Run ids, oldest first.
    private func runIDs(_ project: CLIProject, uri: String) throws -> [String] {
        let listing = try recon(project, "runs", "--format", "json", uri: uri)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any], listing.stderr)
        return try XCTUnwrap(document["runs"] as? [[String: Any]]).compactMap { $0["id"] as? String }.reversed()
    }

    func testPlanApplyNoOpDriftAndRollbackAgainstAPostgreSQLBase() throws {
        let server = try PostgresServer.shared()
        let schema = "cli_base_\(UUID().uuidString.prefix(8).lowercased())"
        let uri = server.uri()
        let project = project(schema: schema)
        defer { try? dropSchemas(schema, uri) }

        let plan = try recon(project, "plan", uri: uri)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("3 to add"), plan.stdout)
        let applied = try recon(project, "apply", "--auto-approve", uri: uri)
        XCTAssertEqual(applied.status, 0, applied.stdout + applied.stderr)

        let connection = try PGConnection(uri)
        let skills = "\(PGIdentifier.quote(schema)).\"Skills\""
        let rows = try connection.exec("SELECT \"Key\", \"Name\", \"Status\", cardinality(\"Plugin\") FROM \(skills) ORDER BY \"Name\"").rows
        XCTAssertEqual(rows.map { $0[1] }, ["one", "two"])
        XCTAssertEqual(rows.map { $0[2] }, ["Draft", "Draft"])
        XCTAssertEqual(rows.map { $0[3] }, ["1", "1"], "each skill links to its plugin by record id")

        // The state names the base by host, database and schema, never by who connects.
        let state = try XCTUnwrap(project.directory.read("state/recon.state.json"))
        XCTAssertTrue(state.contains("\"postgres:\(server.socketDirectory)/postgres/\(schema)\""), state)

        let again = try recon(project, "plan", "-detailed-exitcode", uri: uri)
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        XCTAssertTrue(again.stdout.contains("No changes"), again.stdout)

        // A hand edit in the base is drift: exit 2, naming the field.
        try connection.exec("UPDATE \(skills) SET \"Name\" = $1 WHERE \"Name\" = 'one'", [.text("edited by hand")])
        let drift = try recon(project, "drift", uri: uri)
        XCTAssertEqual(drift.status, 2, drift.stdout + drift.stderr)
        XCTAssertTrue(drift.stdout.contains("edited by hand"), drift.stdout)
        let restored = try recon(project, "apply", "--auto-approve", uri: uri)
        XCTAssertEqual(restored.status, 0, restored.stdout + restored.stderr)
        XCTAssertEqual(try connection.exec("SELECT count(*) FROM \(skills) WHERE \"Name\" = 'one'").rows, [["1"]])

        // A new skill, then its run rolled back: the record is gone again and the plan wants it back.
        project.skill("alpha", "three")
        project.repo.commit("three")
        let third = try recon(project, "apply", "--auto-approve", uri: uri)
        XCTAssertEqual(third.status, 0, third.stdout + third.stderr)
        XCTAssertEqual(try connection.exec("SELECT count(*) FROM \(skills)").rows, [["3"]])
        let run = try XCTUnwrap(try runIDs(project, uri: uri).last)
        let saved = try recon(project, "rollback", run, "-out", "undo.json", uri: uri)
        XCTAssertEqual(saved.status, 0, saved.stdout + saved.stderr)
        let undone = try recon(project, "apply", "undo.json", "--auto-approve", uri: uri)
        XCTAssertEqual(undone.status, 0, undone.stdout + undone.stderr)
        XCTAssertEqual(try connection.exec("SELECT \"Name\" FROM \(skills) ORDER BY \"Name\"").rows, [["one"], ["two"]])

        for output in [plan, applied, again, drift, restored, third, saved, undone] {
            XCTAssertFalse((output.stdout + output.stderr).contains(server.password), "the password never reaches an output")
        }
        let enumerator = FileManager.default.enumerator(atPath: project.path)
        while let relative = enumerator?.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: project.path + "/" + relative) else { continue }
            XCTAssertFalse(String(decoding: data, as: UTF8.self).contains(server.password), "\(relative) holds the password")
        }
    }

    /// Without the variable, or with a wrong password, the run stops with an error that names the variable
    /// (or the failure), never the URI or a password, and nothing is written.
    /// A base schema dropped (or emptied) while the state holds records is an error, as a missing SQLite file is:
    /// it was more likely restored to the wrong place or lost than emptied on purpose. It used to plan re-creates.
    func testADroppedSchemaIsAnErrorNotAPlanToCreateEverythingAgain() throws {
        let server = try PostgresServer.shared()
        let schema = "cli_gone_\(UUID().uuidString.prefix(8).lowercased())"
        let uri = server.uri()
        let project = project(schema: schema)
        defer { try? dropSchemas(schema, uri) }
        let applied = try recon(project, "apply", "--auto-approve", uri: uri)
        XCTAssertEqual(applied.status, 0, applied.stdout + applied.stderr)
        let before = try XCTUnwrap(project.directory.read("state/recon.state.json"))
        try dropSchemas(schema, uri)
        for command in [["plan"], ["apply", "--auto-approve"], ["drift"]] {
            let result = try ReconProcess.run(command, in: project.path, environment: ["TEAM_BASE_URL": uri])
            XCTAssertNotEqual(result.status, 0, "\(command): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains("holds none of the 2 tables") && result.stderr.contains("3 records") && result.stderr.contains("Nothing was written"), result.stderr)
            XCTAssertFalse(result.stdout.contains("to add"), result.stdout)
        }
        XCTAssertEqual(project.directory.read("state/recon.state.json"), before, "the state is untouched")
        let connection = try PGConnection(uri)
        XCTAssertTrue(try connection.exec("SELECT 1 FROM pg_namespace WHERE nspname = $1", [.text(schema)]).rows.isEmpty,
                      "nothing was created in the base")
    }

    func testAMissingVariableOrAWrongPasswordStopsWithoutTheSecret() throws {
        let server = try PostgresServer.shared()
        let schema = "cli_base_\(UUID().uuidString.prefix(8).lowercased())"
        let project = project(schema: schema)

        let unset = try ReconProcess.run(["apply", "--auto-approve"], in: project.path)
        XCTAssertEqual(unset.status, 1, unset.stderr)
        XCTAssertTrue(unset.stderr.contains("TEAM_BASE_URL is not set"), unset.stderr)

        let wrong = server.uri(password: "wrong-\(server.password.prefix(6))-secret")
        let refused = try recon(project, "apply", "--auto-approve", uri: wrong)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertFalse(refused.stderr.contains("-secret"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains(server.password.prefix(6)), refused.stderr)
        let connection = try PGConnection(server.uri())
        XCTAssertTrue(try connection.exec("SELECT 1 FROM pg_namespace WHERE nspname = $1", [.text(schema)]).rows.isEmpty, "nothing was written")
    }

    /// A `Skills` table made in psql before any apply: adopted by key when it fits (rows kept, the record under the
    /// declared key updated), a manual item naming the column when it does not, with nothing written.
    func testATableMadeInPsqlIsAdoptedByKeyOrRefusedWithAManualItem() throws {
        let server = try PostgresServer.shared()
        let uri = server.uri()
        let key = "core:plugins/alpha/skills/one"
        for fits in [false, true] {
            let schema = "cli_adopt_\(UUID().uuidString.prefix(8).lowercased())"
            defer { try? dropSchemas(schema, uri) }
            let project = project(schema: schema)
            let connection = try PGConnection(uri)
            let skills = "\(PGIdentifier.quote(schema)).\"Skills\""
            try connection.exec("CREATE SCHEMA \(PGIdentifier.quote(schema))")
            try connection.exec("CREATE TABLE \(skills) (\"Key\" text, \"Name\" \(fits ? "varchar(200)" : "integer"), \"Extra\" jsonb)")
            try connection.exec("INSERT INTO \(skills) (\"Key\", \"Extra\") VALUES ($1, '{\"kept\": true}'), ('by hand', NULL)", [.text(key)])

            let plan = try recon(project, "plan", "-detailed-exitcode", "--no-color", uri: uri)
            XCTAssertEqual(plan.status, 2, plan.stdout + plan.stderr)
            guard fits else {
                XCTAssertTrue(plan.stdout.contains("its column 'Name' cannot hold singleLineText"), plan.stdout)
                let apply = try recon(project, "apply", "--auto-approve", uri: uri)
                XCTAssertEqual(try connection.exec("SELECT count(*) FROM \(skills)").rows, [["2"]], apply.stdout + apply.stderr)
                XCTAssertEqual(try columnNames(connection, schema), ["Key", "Name", "Extra"], "the table that does not fit is left as it was")
                continue
            }
            XCTAssertTrue(plan.stdout.contains("adopt table Skills"), plan.stdout)
            XCTAssertTrue(plan.stdout.contains("\(key) already in the base with the same key; adopt"), plan.stdout)
            let apply = try recon(project, "apply", "--auto-approve", uri: uri)
            XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
            let rows = try connection.exec("SELECT \"Key\", \"Name\", \"Extra\"::text, length(_recon_id) FROM \(skills) ORDER BY \"Key\"").rows
            XCTAssertEqual(rows, [["by hand", nil, nil, "17"], [key, "one", "{\"kept\": true}", "17"], ["core:plugins/alpha/skills/two", "two", nil, "17"]])
            let again = try recon(project, "plan", "-detailed-exitcode", uri: uri)
            XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        }
    }

    /// PostgreSQL's 63-byte name limit is refused by `recon validate` at the name's file:line:column.
    func testValidateRefusesANamePostgreSQLWouldCut() throws {
        let project = project(schema: "catalog")
        let text = project.directory.read("manifests/schema.yaml") ?? ""
        let long = String(repeating: "ü", count: 32)
        project.directory.write("manifests/schema.yaml", text.replacingOccurrences(of: "{name: Name, type: singleLineText}\n      - {name: Plugin",
                                                                                     with: "{name: \(long), type: singleLineText}\n      - {name: Plugin"))
        let validate = try ReconProcess.run(["validate"], in: project.path)
        XCTAssertEqual(validate.status, 1, validate.stdout + validate.stderr)
        XCTAssertTrue(validate.stderr.contains("manifests/schema.yaml:12:16: error: field name"), validate.stderr)
        XCTAssertTrue(validate.stderr.contains("is 64 bytes long; PostgreSQL names hold at most 63"), validate.stderr)
    }

    /// A table and a column renamed in psql are renamed back by the next apply, their rows kept: never read as a
    /// table deleted and another created.
    func testRenamesMadeInPsqlArePlannedBack() throws {
        let uri = try PostgresServer.shared().uri()
        let schema = "cli_rename_\(UUID().uuidString.prefix(8).lowercased())"
        defer { try? dropSchemas(schema, uri) }
        let project = project(schema: schema)
        XCTAssertEqual(try recon(project, "apply", "--auto-approve", uri: uri).status, 0)
        let connection = try PGConnection(uri)
        try connection.exec("ALTER TABLE \(PGIdentifier.quote(schema)).\"Skills\" RENAME TO \"Abilities\"")
        try connection.exec("ALTER TABLE \(PGIdentifier.quote(schema)).\"Abilities\" RENAME COLUMN \"Name\" TO \"Title\"")

        let plan = try recon(project, "plan", "-detailed-exitcode", "--no-color", uri: uri)
        XCTAssertEqual(plan.status, 2, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stdout.contains("name: \"Abilities\" → \"Skills\" (renamed in the base)"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("name: \"Title\" → \"Name\" (renamed in the base)"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("0 to add"), plan.stdout)
        XCTAssertEqual(try recon(project, "apply", "--auto-approve", uri: uri).status, 0)
        let names = try connection.exec("SELECT \"Name\" FROM \(PGIdentifier.quote(schema)).\"Skills\" ORDER BY 1").rows
        XCTAssertEqual(names, [["one"], ["two"]])
        XCTAssertEqual(try recon(project, "plan", "-detailed-exitcode", uri: uri).status, 0)
    }

    private func columnNames(_ connection: PGConnection, _ schema: String) throws -> [String?] {
        try connection.exec("""
            SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = 'Skills' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, [.text(schema)]).rows.map { $0[0] }
    }
}
