import ReconCore
import XCTest
@testable import Manifest

/// `target: {provider: postgres, url_env: ..., schema: ...}` (issue 9, point 5).
final class PostgresTargetTests: XCTestCase {
    private func load(_ text: String) throws -> Manifest {
        try ManifestLoader().load(sources: [("t.yaml", Array(text.utf8))])
    }

    func testPostgresTargetDecodesWithItsDefaults() throws {
        let manifest = try load("target: {provider: postgres}\ntables: []\n")
        guard case .postgres(let target) = manifest.target.kind else { return XCTFail("\(manifest.target.kind)") }
        XCTAssertEqual(target.urlEnv, "RECON_BASE_URL")
        XCTAssertEqual(target.schema, "catalog")
        XCTAssertEqual(manifest.target.provider, .postgres)
        let named = try load("target: {provider: postgres, url_env: TEAM_BASE_URL, schema: team_catalog}\ntables: []\n")
        guard case .postgres(let team) = named.target.kind else { return XCTFail("\(named.target.kind)") }
        XCTAssertEqual(team.urlEnv, "TEAM_BASE_URL")
        XCTAssertEqual(team.schema, "team_catalog")
    }

    /// The state's `target` names host, database and schema, never the user or password; before the
    /// environment is read it names the variable.
    func testTheIdentifierNamesTheAddressNeverTheCredentials() throws {
        var target = PostgresTarget(urlEnv: "RECON_BASE_URL", schema: "catalog")
        XCTAssertEqual(TargetSpec(.postgres(target)).identifier, "postgres:$RECON_BASE_URL/catalog")
        target.address = "db.example:5432/shop"
        XCTAssertEqual(TargetSpec(.postgres(target)).identifier, "postgres:db.example:5432/shop/catalog")
    }

    /// A URI pasted where the variable's name belongs is refused at its place without repeating it.
    func testAURIGivenAsTheVariableNameIsNotEchoed() {
        let text = "target:\n  provider: postgres\n  url_env: postgresql://recon:hunter2@db/recon\ntables: []\n"
        XCTAssertThrowsError(try load(text)) { error in
            let shown = "\(error)"
            XCTAssertTrue(shown.contains("t.yaml:3:12"), shown)
            XCTAssertFalse(shown.contains("hunter2"), shown)
        }
    }

    /// 63 bytes is PostgreSQL's limit: a 63-byte name is fine, a 64-byte one (in bytes, not characters) is refused
    /// at validate with its place, rather than cut by the server so two long names become one table.
    func testNamesPastSixtyThreeBytesAreRefusedAtTheirPlace() throws {
        let fits = String(repeating: "t", count: 63)
        XCTAssertNoThrow(try load("target: {provider: postgres}\ntables:\n  - name: \(fits)\n    key: K\n    fields: [{name: K, type: singleLineText}]\n"))
        let long = String(repeating: "é", count: 32)
        let text = "target: {provider: postgres}\ntables:\n  - name: T\n    key: K\n    fields:\n      - {name: K, type: singleLineText}\n      - {name: \(long), type: singleLineText}\n"
        XCTAssertThrowsError(try load(text)) { error in
            let shown = "\(error)"
            XCTAssertTrue(shown.contains("t.yaml:7:16"), shown)
            XCTAssertTrue(shown.contains("64 bytes long"), shown)
        }
        // The same names are fine for SQLite, which has no such limit.
        XCTAssertNoThrow(try load(text.replacingOccurrences(of: "provider: postgres", with: "provider: sqlite")))
    }

    func testSchemaNamesThatWouldMeetTheMetadataSchemaAreRefused() {
        XCTAssertThrowsError(try load("target: {provider: postgres, schema: shop_recon}\ntables: []\n")) { error in
            XCTAssertTrue("\(error)".contains("t.yaml:1:38"), "\(error)")
            XCTAssertTrue("\(error)".contains("_recon"), "\(error)")
        }
    }
}
