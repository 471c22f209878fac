import Foundation
import Postgres
import TestSupport
import XCTest

/// The no-op seal with the state AND the base in PostgreSQL (issue 12): the seal is a row of the state schema, so a
/// second checkout with an empty `state/` is answered from it; any write to the state rows (Recon's, another
/// checkout's, or one made in psql) moves the state version and sends the run down the full path.
final class PostgresStateSealTests: XCTestCase {
    private struct Setup {
        var project: CLIProject
        var base: String
        var state: String
        var uri: String
        var environment: [String: String] { ["TEAM_BASE_URL": uri, "TEAM_STATE_URL": uri] }
    }

    private func setup() throws -> Setup {
        let uri = try PostgresServer.shared().uri()
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let base = "pgseal_\(suffix)", state = "pgseal_state_\(suffix)"
        let project = CLIProject.postgresBase(schema: base)
        project.directory.write("manifests/state.yaml", "state:\n  backend: postgres\n  url_env: TEAM_STATE_URL\n  schema: \(state)\n")
        addTeardownBlock {
            try? CLIProject.dropPostgresBase(base, uri: uri)
            _ = try? PGConnection(uri).exec("DROP SCHEMA IF EXISTS \(PGIdentifier.quote(state)) CASCADE")
        }
        return Setup(project: project, base: base, state: state, uri: uri)
    }

    private func recon(_ setup: Setup, _ arguments: String..., in directory: String? = nil) throws -> ReconProcess.Result {
        try ReconProcess.run(arguments, in: directory ?? setup.project.path, environment: setup.environment)
    }

    private func usedSeal(_ result: ReconProcess.Result) -> Bool { result.stderr.contains(" seal ") }

    /// The drift seal row's version (`xmin`): a full drift that finds nothing rewrites the row, the seal leaves it be.
    private func driftSealVersion(_ setup: Setup) throws -> String? {
        try PGConnection(setup.uri).exec("SELECT xmin::text FROM \(PGIdentifier.quote(setup.state)).state_seals WHERE kind = 'drift'")
            .rows.first?[0] ?? nil
    }

    /// Runs `drift` in `directory`; true when it was answered from the seal (exit 0, the seal row left as it was).
    private func sealedDrift(_ setup: Setup, in directory: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Bool {
        let before = try driftSealVersion(setup)
        let drift = try recon(setup, "drift", in: directory)
        XCTAssertEqual(drift.status, 0, drift.stdout + drift.stderr, file: file, line: line)
        let after = try driftSealVersion(setup)
        return before != nil && after == before
    }

    /// Applies, then one full no-op plan and drift that write the seals.
    private func appliedAndSealed(_ setup: Setup) throws {
        let applied = try recon(setup, "apply", "--auto-approve")
        XCTAssertEqual(applied.status, 0, applied.stdout + applied.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: setup.project.path + "/state/recon.state.json"), "no local state")
        let full = try recon(setup, "plan", "--timings", "-detailed-exitcode")
        XCTAssertEqual(full.status, 0, full.stdout + full.stderr)
        XCTAssertFalse(usedSeal(full), full.stderr)
        XCTAssertEqual(try recon(setup, "drift").status, 0)
    }

    /// A second checkout of the same manifests: its own folder, no `state/` at all.
    private func secondCheckout(_ setup: Setup) throws -> TemporaryDirectory {
        let other = TemporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: setup.project.path + "/manifests") {
            other.write("manifests/" + name, setup.project.directory.read("manifests/" + name) ?? "")
        }
        return other
    }

    func testASealedNoOpIsAnsweredFromTheSealInPostgreSQL() throws {
        let setup = try setup()
        try appliedAndSealed(setup)
        let full = try recon(setup, "plan", "--refresh=full", "-detailed-exitcode")
        let sealed = try recon(setup, "plan", "--timings", "-detailed-exitcode")
        XCTAssertEqual(sealed.status, 0, sealed.stdout + sealed.stderr)
        XCTAssertTrue(usedSeal(sealed), "answered from the seal: \(sealed.stderr)")
        XCTAssertEqual(sealed.stdout, full.stdout, "the same answer")
        XCTAssertTrue(try sealedDrift(setup), "drift answered from the seal")
        let seals = try PGConnection(setup.uri).exec("SELECT kind FROM \(PGIdentifier.quote(setup.state)).state_seals ORDER BY kind")
        XCTAssertEqual(seals.rows.map { $0[0] }, ["drift", "plan"], "the seals are rows of the state schema")
        XCTAssertFalse(FileManager.default.fileExists(atPath: setup.project.path + "/state/cache/noop-seal"), "none kept locally")
    }

    func testAWriteToTheStateRowsInPsqlDefeatsTheSeal() throws {
        let setup = try setup()
        try appliedAndSealed(setup)
        XCTAssertTrue(usedSeal(try recon(setup, "plan", "--timings")))
        let connection = try PGConnection(setup.uri)
        let items = "\(PGIdentifier.quote(setup.state)).state_items"
        // Even a write that changes no byte moves the version: exact, not a digest of what the rows say.
        try connection.exec("UPDATE \(items) SET entry = entry WHERE kind = 'record'")
        let plan = try recon(setup, "plan", "--timings", "-detailed-exitcode")
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertFalse(usedSeal(plan), "the state rows were written outside Recon: \(plan.stderr)")
        XCTAssertTrue(usedSeal(try recon(setup, "plan", "--timings")), "sealed again by the full path")

        XCTAssertFalse(try sealedDrift(setup), "the drift seal went with the same write")
        XCTAssertTrue(try sealedDrift(setup))
        try connection.exec("DELETE FROM \(items) WHERE ctid = (SELECT ctid FROM \(items) WHERE kind = 'record' ORDER BY name LIMIT 1)")
        let sealedAt = try driftSealVersion(setup)
        let drift = try recon(setup, "drift")
        XCTAssertNotEqual(drift.status, 1, drift.stdout + drift.stderr)
        XCTAssertNotEqual(try driftSealVersion(setup), sealedAt, "the full path ran: a record gone from the state")
        let replanned = try recon(setup, "plan", "--timings")
        XCTAssertFalse(usedSeal(replanned), replanned.stderr)
    }

    func testASecondCheckoutIsAnsweredFromTheSealAndItsApplyDefeatsIt() throws {
        let setup = try setup()
        try appliedAndSealed(setup)
        let other = try secondCheckout(setup)
        let sealed = try recon(setup, "plan", "--timings", "-detailed-exitcode", in: other.path)
        XCTAssertEqual(sealed.status, 0, sealed.stdout + sealed.stderr)
        XCTAssertTrue(usedSeal(sealed), "an empty local cache, answered from PostgreSQL: \(sealed.stderr)")
        XCTAssertTrue(try sealedDrift(setup, in: other.path))

        // The other checkout applies a new skill: the first one's seals no longer hold.
        setup.project.skill("alpha", "three")
        setup.project.repo.commit("three")
        let applied = try recon(setup, "apply", "--auto-approve", in: other.path)
        XCTAssertEqual(applied.status, 0, applied.stdout + applied.stderr)
        XCTAssertFalse(try sealedDrift(setup), "another checkout's apply moved the state")
        let plan = try recon(setup, "plan", "--timings", "-detailed-exitcode")
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertFalse(usedSeal(plan), plan.stderr)
    }

    func testADamagedSealRowIsIgnored() throws {
        let setup = try setup()
        try appliedAndSealed(setup)
        let expected = try recon(setup, "plan", "-detailed-exitcode")
        let seals = "\(PGIdentifier.quote(setup.state)).state_seals"
        let connection = try PGConnection(setup.uri)
        try connection.exec("UPDATE \(seals) SET seal = substring(seal FROM 1 FOR length(seal) - 7) WHERE kind = 'plan'")
        let plan = try recon(setup, "plan", "--timings", "-detailed-exitcode")
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertFalse(usedSeal(plan), "a truncated seal row is no seal: \(plan.stderr)")
        XCTAssertEqual(plan.stdout, expected.stdout)
        try connection.exec("UPDATE \(seals) SET seal = 'not a seal'::bytea")
        XCTAssertFalse(try sealedDrift(setup), "a damaged drift seal is no seal")
        XCTAssertTrue(try sealedDrift(setup), "the full drift sealed again")
        XCTAssertEqual(try recon(setup, "plan").status, 0)
        XCTAssertTrue(usedSeal(try recon(setup, "plan", "--timings")), "the full path sealed again")
    }
}
