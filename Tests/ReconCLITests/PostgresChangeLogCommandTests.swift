import Foundation
import Postgres
import TestSupport
import XCTest

/// The real `recon` against a PostgreSQL base (issue 12): every write apply and rollback make is Recon's, so
/// the change log stays empty; a psql edit is logged once, and the apply that restores it adds nothing.
final class PostgresChangeLogCommandTests: XCTestCase {
    func testApplyAndRollbackLogNothingAndAHandEditIsLoggedOnce() throws {
        let uri = try PostgresServer.shared().uri()
        let schema = "cli_log_\(UUID().uuidString.prefix(8).lowercased())"
        let project = CLIProject.postgresBase(schema: schema)
        let connection = try PGConnection(uri)
        defer { try? CLIProject.dropPostgresBase(schema, uri: uri) }
        func recon(_ arguments: String...) throws -> ReconProcess.Result {
            let result = try ReconProcess.run(arguments, in: project.path, environment: ["TEAM_BASE_URL": uri])
            XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
            return result
        }
        func logged() throws -> [[String?]] {
            try connection.exec("SELECT table_name, operation FROM \(PGIdentifier.quote(schema + "_recon")).changes ORDER BY id").rows
        }

        _ = try recon("apply", "--auto-approve")
        XCTAssertEqual(try connection.exec("""
            SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND t.tgname = '_recon_changes' ORDER BY 1
            """, [.text(schema)]).rows, [["Plugins"], ["Skills"]], "every table Recon creates is tracked")
        project.skill("alpha", "three")
        project.repo.commit("three")
        _ = try recon("apply", "--auto-approve")
        let runs = try JSONSerialization.jsonObject(with: Data(try recon("runs", "--format", "json").stdout.utf8)) as? [String: Any]
        let run = try XCTUnwrap((runs?["runs"] as? [[String: Any]])?.first?["id"] as? String)
        _ = try recon("rollback", run, "-out", "undo.json")
        _ = try recon("apply", "undo.json", "--auto-approve")
        XCTAssertEqual(try logged(), [], "Recon's own writes are not logged")

        let skills = "\(PGIdentifier.quote(schema)).\"Skills\""
        try connection.exec("UPDATE \(skills) SET \"Name\" = 'edited by hand' WHERE \"Name\" = 'one'")
        _ = try recon("apply", "--auto-approve")
        XCTAssertEqual(try connection.exec("SELECT count(*) FROM \(skills) WHERE \"Name\" = 'one'").rows, [["1"]], "the edit was planned back")
        XCTAssertEqual(try logged(), [["Skills", "UPDATE"]], "the hand edit, and nothing of the apply that undid it")
    }
}
