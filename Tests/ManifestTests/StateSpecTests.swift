import ReconCore
import XCTest
@testable import Manifest

/// The `state:` block: where the state lives (issue 9).
final class StateSpecTests: XCTestCase {
    private func load(_ text: String) throws -> Manifest {
        try ManifestLoader().load(sources: [("s.yaml", Array(text.utf8))])
    }

    func testWithoutAStateBlockTheStateIsLocal() throws {
        let manifest = try load("tables: []\n")
        XCTAssertEqual(manifest.state.backend, .local)
        XCTAssertNil(manifest.state.location)
    }

    func testPostgresBlockDecodesWithItsDefaults() throws {
        let manifest = try load("state:\n  backend: postgres\n  url_env: TEAM_STATE_URL\n")
        XCTAssertEqual(manifest.state.backend, .postgres)
        XCTAssertEqual(manifest.state.urlEnv, "TEAM_STATE_URL")
        XCTAssertEqual(manifest.state.schema, "recon")
        XCTAssertEqual(manifest.state.location?.line, 2)
        let named = try load("state: {backend: postgres, url_env: U, schema: team_state}\n")
        XCTAssertEqual(named.state.schema, "team_state")
    }

    /// A URI pasted where the variable's name belongs is refused without repeating it.
    func testAURIGivenAsTheVariableNameIsNotEchoed() {
        let text = "state:\n  backend: postgres\n  url_env: postgresql://recon:hunter2@db/recon\n"
        XCTAssertThrowsError(try load(text)) { error in
            let shown = "\(error)"
            XCTAssertTrue(shown.contains("s.yaml:3:12"), shown)
            XCTAssertFalse(shown.contains("hunter2"), shown)
        }
    }
}
