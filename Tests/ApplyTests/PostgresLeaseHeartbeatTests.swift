import Apply
import Foundation
import Manifest
import Postgres
import State
import TestSupport
import XCTest

/// The PostgreSQL lease row of a long apply is renewed by a heartbeat (issue 9, point 4); the advisory lock
/// stays the truth, so a dead holder's row, expired or not, is taken over.
final class PostgresLeaseHeartbeatTests: XCTestCase {
    private let target = "sqlite:heartbeat.sqlite"

    private func choice(_ uri: String, schema: String) throws -> StateBackendChoice {
        let directory = TemporaryDirectory("heartbeat")
        directory.write("manifests/recon.yaml", """
            target: {provider: sqlite, database: heartbeat.sqlite}
            state: {backend: postgres, url_env: TEAM_STATE_URL, schema: \(schema)}
            tables: []
            """)
        let manifest = try ManifestLoader().load(directory: directory.path + "/manifests")
        return try StateBackendChoice.resolve(manifest, statePath: directory.path + "/state/recon.state.json",
                                              environment: ["TEAM_STATE_URL": uri])
    }

    private func expires(_ uri: String, schema: String) throws -> String? {
        let connection = try PGConnection(uri)
        defer { connection.close() }
        let rows = try connection.exec("SELECT (extract(epoch FROM expires) * 1000)::bigint FROM \(PGIdentifier.quote(schema)).state_locks WHERE target = $1",
                                       [.text(target)])
        return rows.rows.first?[0]
    }

    func testTheHeartbeatRenewsTheLeaseRowWhileTheLockIsHeld() throws {
        let uri = try PostgresServer.shared().uri()
        let schema = "beat_\(UUID().uuidString.prefix(8).lowercased())"
        let lock = try choice(uri, schema: schema).lock(operation: "apply", layout: RunLayout(), wait: nil, ttl: 3)
        let first = try XCTUnwrap(try expires(uri, schema: schema))
        // Polled, not timed: a beat comes every second; wait up to a minute for one on a loaded machine.
        var renewed: String?
        for _ in 0..<120 where renewed == nil {
            usleep(500_000)
            if let now = try expires(uri, schema: schema), Int64(now)! > Int64(first)! { renewed = now }
        }
        XCTAssertNotNil(renewed, "the lease row's expires never moved past \(first)")
        try lock.verify()
        try lock.release()
        XCTAssertNil(try expires(uri, schema: schema), "released: the row is gone")
    }
}
