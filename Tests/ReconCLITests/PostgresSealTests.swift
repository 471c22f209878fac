import Foundation
import Postgres
import TestSupport
import XCTest

/// The no-op seal against a PostgreSQL base (state kept locally): a quiet base is answered from the seal, and a
/// write made in psql (statement triggers into the change log) or a column added there sends the run down the
/// full path, which sees it.
final class PostgresSealTests: XCTestCase {
    private func recon(_ project: CLIProject, _ arguments: String..., uri: String) throws -> ReconProcess.Result {
        try ReconProcess.run(arguments, in: project.path, environment: ["TEAM_BASE_URL": uri])
    }

    private func usedSeal(_ result: ReconProcess.Result) -> Bool { result.stderr.contains(" seal ") }

    func testAQuietBaseIsAnsweredFromTheSealAndAWriteInPsqlIsNot() throws {
        let server = try PostgresServer.shared()
        let schema = "seal_\(UUID().uuidString.prefix(8).lowercased())"
        let uri = server.uri()
        let project = CLIProject.postgresBase(schema: schema)
        let connection = try PGConnection(uri)
        defer { try? CLIProject.dropPostgresBase(schema, uri: uri) }
        XCTAssertEqual(try recon(project, "apply", "--auto-approve", uri: uri).status, 0)
        let full = try recon(project, "plan", "--timings", "-detailed-exitcode", uri: uri)
        XCTAssertEqual(full.status, 0, full.stdout + full.stderr)
        XCTAssertFalse(usedSeal(full), full.stderr)
        let sealed = try recon(project, "plan", "--timings", "-detailed-exitcode", uri: uri)
        XCTAssertEqual(sealed.status, 0, sealed.stdout + sealed.stderr)
        XCTAssertTrue(usedSeal(sealed), "answered from the seal: \(sealed.stderr)")
        XCTAssertEqual(sealed.stdout, full.stdout, "the same answer")

        let skills = "\(PGIdentifier.quote(schema)).\"Skills\""
        try connection.exec("UPDATE \(skills) SET \"Name\" = 'edited in psql' WHERE \"Name\" = 'one'")
        let edited = try recon(project, "plan", "--timings", "-detailed-exitcode", uri: uri)
        XCTAssertEqual(edited.status, 2, edited.stdout + edited.stderr)
        XCTAssertFalse(usedSeal(edited))
        XCTAssertTrue(edited.stdout.contains("edited in psql"), edited.stdout)
        XCTAssertEqual(try recon(project, "apply", "--auto-approve", uri: uri).status, 0)
        XCTAssertEqual(try recon(project, "plan", "-detailed-exitcode", uri: uri).status, 0, "sealed again")
        XCTAssertTrue(usedSeal(try recon(project, "plan", "--timings", uri: uri)))

        // A column added in psql, then the rows emptied: each one seen by the full path.
        try connection.exec("ALTER TABLE \(skills) ADD COLUMN \"Note\" text")
        XCTAssertFalse(usedSeal(try recon(project, "plan", "--timings", uri: uri)), "the catalog moved")
        XCTAssertEqual(try recon(project, "plan", "-detailed-exitcode", uri: uri).status, 0, "a foreign column is no change")
        try connection.exec("TRUNCATE \(skills)")
        let emptied = try recon(project, "plan", "--timings", "-detailed-exitcode", uri: uri)
        XCTAssertEqual(emptied.status, 2, emptied.stdout + emptied.stderr)
        XCTAssertFalse(usedSeal(emptied))
        let drift = try recon(project, "drift", uri: uri)
        XCTAssertEqual(drift.status, 2, "drift sees the rows gone: \(drift.stdout)")
    }
}
