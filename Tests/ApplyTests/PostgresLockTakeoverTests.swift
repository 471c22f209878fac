import Foundation
import State
import TestSupport
import XCTest

/// A real applier whose PostgreSQL lease is broken with `recon force-unlock` stops before its next batch,
/// and the applier that took over finishes the work without doubling anything.
final class PostgresLockTakeoverTests: XCTestCase {
    func testAForceUnlockedApplierStopsBeforeItsNextBatch() throws {
        let server = try PostgresServer.shared()
        let schema = "takeover_\(UUID().uuidString.prefix(8).lowercased())"
        // The probe inherits this process's environment; a name of its own touches no other test.
        let variable = "RECON_TEST_STATE_URL_\(schema.uppercased())"
        setenv(variable, server.uri(), 1)
        defer { unsetenv(variable) }
        let harness = ApplyHarness()
        harness.project.write("manifests/state.yaml", "state: {backend: postgres, url_env: \(variable), schema: \(schema)}\n")
        for index in 0..<6 { harness.addSkill("p\(index % 2)", "s\(index)") }
        harness.repo.commit("six skills")
        let environment = [variable: server.uri()]

        let first = try ProbeProcess(["apply", harness.project.path, "3"])
        let leaseLine = try XCTUnwrap(first.waitForLine("lease ", timeout: 60), "the first applier took the lock")
        let id = String(leaseLine.dropFirst("lease ".count))
        XCTAssertNotNil(first.waitForLine("batch 1", timeout: 60), "the first applier wrote a batch")

        let unlock = try ReconProcess.run(["force-unlock", id], in: harness.project.path, environment: environment)
        XCTAssertEqual(unlock.status, 0, unlock.stderr)
        let second = try ReconProcess.run(["apply", "--auto-approve"], in: harness.project.path, environment: environment)
        XCTAssertEqual(second.status, 0, second.stderr)

        let result = first.finish(timeout: 60)
        XCTAssertEqual(result.status, 1, "\(result.lines)")
        XCTAssertEqual(result.lines.filter { $0.hasPrefix("batch ") }, ["batch 1"], "no batch after the lock was taken: \(result.lines)")
        let failure = try XCTUnwrap(result.lines.first { $0.hasPrefix("failed: ") }, "\(result.lines)")
        XCTAssertTrue(failure.contains("lock on PostgreSQL schema"), failure)
        XCTAssertFalse(failure.contains(server.password), failure)

        let plan = try ReconProcess.run(["plan", "-detailed-exitcode"], in: harness.project.path, environment: environment)
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertEqual(try harness.records("Skills").count, 6)
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.statePath), "the state is in PostgreSQL only")
    }
}
