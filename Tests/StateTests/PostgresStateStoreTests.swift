import Foundation
import Postgres
import ReconCore
@testable import State
import TestSupport
import XCTest

/// The PostgreSQL state against the real throwaway server; each test in a schema of its own.
final class PostgresStateStoreTests: XCTestCase {
    private func store(schema: String? = nil, target: String = StateSamples.target) throws -> PostgresStateStore {
        let name = schema ?? "state_\(UUID().uuidString.prefix(8).lowercased())"
        return try PostgresStateStore(connectionString: PostgresServer.shared().uri(), schema: name, target: target)
    }

    func testContractRoundTrip() throws {
        try StateBackendContract.roundTrip(try store())
    }

    func testContractRefusals() throws {
        try StateBackendContract.refusals(try store())
    }

    func testRoundTripEqualsTheLocalCanonicalJSON() throws {
        let scratch = TemporaryDirectory()
        let local = StateSamples.store(in: scratch)
        let remote = try store()
        var state = StateSamples.populated(records: 300)
        state.records["Skills"]?["core:skills/s2/SKILL.md"]?.adopted = ["Name": .text("was")]
        var localState = state, remoteState = state
        try local.write(&localState, keepHistory: 5)
        try remote.write(&remoteState, keepHistory: 5)
        let batch: [StateChange] = [.putRecord(table: "Skills", key: "k\u{0}\"名", record: StateSamples.record(7)),
                                    .removeRecord(table: "Skills", key: "core:skills/s3/SKILL.md"),
                                    .putRecord(table: "Skills", key: "k\u{0}\"名", record: StateSamples.record(8))]
        let localLog = try local.beginJournal(for: &localState, keepHistory: 5)
        let remoteLog = try remote.beginJournal(for: &remoteState, keepHistory: 5)
        try localLog.append(batch, to: &localState)
        try remoteLog.append(batch, to: &remoteState)
        let fromLocal = try XCTUnwrap(try local.load(expectedTarget: StateSamples.target))
        let fromRemote = try XCTUnwrap(try remote.load(expectedTarget: StateSamples.target))
        XCTAssertEqual(fromRemote.lineage, fromLocal.lineage)
        XCTAssertEqual(StateCodec.encode(fromRemote), StateCodec.encode(fromLocal))
        XCTAssertEqual(try remote.loadVersion(serial: 1).map(StateCodec.encode), try local.loadVersion(serial: 1).map(StateCodec.encode))
    }

    /// A batch costs its own rows: appending one record to a state of 2,000 touches one item row.
    func testAnAppendTouchesOnlyTheBatchsRows() throws {
        let remote = try store()
        var state = StateSamples.populated(records: 2000)
        try remote.write(&state, keepHistory: 5)
        let log = try remote.beginJournal(for: &state, keepHistory: 5)
        let connection = try PGConnection(PostgresServer.shared().uri())
        let items = "\(PGIdentifier.quote(remote.schema.schema)).state_items"
        func rowVersions() throws -> [String: String] {
            let rows = try connection.exec("SELECT encode(name, 'hex'), xmin::text FROM \(items)")
            return Dictionary(uniqueKeysWithValues: rows.rows.map { ($0[0]!, $0[1]!) })
        }
        let before = try rowVersions()
        try log.append([.putRecord(table: "Skills", key: "core:skills/s5/SKILL.md", record: StateSamples.record(55))], to: &state)
        let after = try rowVersions()
        let changed = after.filter { before[$0.key] != $0.value }.map(\.key)
        XCTAssertEqual(changed, [Array("core:skills/s5/SKILL.md".utf8).map { String(format: "%02x", $0) }.joined()])
    }

    func testTwoTargetsInOneSchemaNeverShareRows() throws {
        let schema = "shared_\(UUID().uuidString.prefix(8).lowercased())"
        let first = try store(schema: schema, target: "sqlite:one.sqlite")
        let second = try store(schema: schema, target: "airtable:appTWO")
        var one = StateStore.newState(target: "sqlite:one.sqlite")
        one.apply(.putRecord(table: "Skills", key: "a", record: StateSamples.record(1)))
        var two = StateStore.newState(target: "airtable:appTWO")
        two.apply(.putRecord(table: "Skills", key: "b", record: StateSamples.record(2)))
        try first.write(&one, keepHistory: 2)
        try second.write(&two, keepHistory: 2)
        let log = try second.beginJournal(for: &two, keepHistory: 2)
        try log.append([.removeTable(name: "Skills")], to: &two)
        XCTAssertEqual(try first.load(expectedTarget: "sqlite:one.sqlite"), one)
        XCTAssertEqual(try second.load(expectedTarget: "airtable:appTWO")?.recordCount, 0)
        try first.pruneHistory(keepLast: 1)
        XCTAssertEqual(try second.versions().count, 1)
        XCTAssertThrowsError(try second.load(expectedTarget: "sqlite:one.sqlite"))
    }

    func testHostileSchemaAndTargetNamesAreQuoted() throws {
        let schema = "st\"\u{301}; DROP SCHEMA public; -- 名 \(UUID().uuidString.prefix(4))"
        let target = "sqlite:state/it's \"名\".sqlite"
        let remote = try store(schema: schema, target: target)
        var state = StateStore.newState(target: target)
        state.apply(.putRecord(table: "Sk\"ills", key: "ké\"y", record: StateSamples.record(3)))
        try remote.write(&state, keepHistory: 2)
        XCTAssertEqual(try remote.load(expectedTarget: target), state)
        let connection = try PGConnection(PostgresServer.shared().uri())
        XCTAssertEqual(try connection.exec("SELECT count(*) FROM pg_namespace WHERE nspname = $1", [.text(schema)]).integer(0, 0), 1)
        XCTAssertEqual(try connection.exec("SELECT count(*) FROM pg_namespace WHERE nspname = 'public'").integer(0, 0), 1)
        XCTAssertThrowsError(try store(schema: "bad\u{0}name")) { XCTAssertTrue("\($0)".contains("NUL"), "\($0)") }
    }

    func testANewerFormatIsRefusedAndLeftAlone() throws {
        let remote = try store()
        var state = StateSamples.populated()
        try remote.write(&state, keepHistory: 2)
        let connection = try PGConnection(PostgresServer.shared().uri())
        try connection.exec("UPDATE \(remote.schema.heads) SET format = 99")
        XCTAssertThrowsError(try remote.load(expectedTarget: StateSamples.target)) { XCTAssertTrue("\($0)".contains("newer recon"), "\($0)") }
        XCTAssertThrowsError(try remote.write(&state, keepHistory: 2))
        XCTAssertEqual(try connection.exec("SELECT serial FROM \(remote.schema.heads)").integer(0, 0), 1)
    }

    /// A role that may only read and write the tables (no CREATE on the database) uses a state
    /// that exists: the schema is not re-created on every connection.
    func testARoleWithoutCreateUsesExistingTables() throws {
        let owner = try store()
        var state = StateSamples.populated()
        try owner.write(&state, keepHistory: 2)
        let admin = try PGConnection(PostgresServer.shared().uri())
        let role = "writer_\(UUID().uuidString.prefix(8).lowercased())"
        let schema = PGIdentifier.quote(owner.schema.schema)
        try admin.exec("CREATE ROLE \(PGIdentifier.quote(role)) LOGIN PASSWORD 'writer-pw'")
        try admin.exec("GRANT USAGE ON SCHEMA \(schema) TO \(PGIdentifier.quote(role))")
        try admin.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \(schema) TO \(PGIdentifier.quote(role))")
        let writer = try PostgresStateStore(connectionString: PostgresServer.shared().uri(user: role, password: "writer-pw"),
                                            schema: owner.schema.schema, target: StateSamples.target)
        var loaded = try XCTUnwrap(try writer.load(expectedTarget: StateSamples.target))
        let log = try writer.beginJournal(for: &loaded, keepHistory: 2)
        try log.append([.putRepo(name: "core", repo: RepoState(commit: "cafe"))], to: &loaded)
        XCTAssertEqual(try owner.load(expectedTarget: StateSamples.target)?.repos["core"]?.commit, "cafe")
    }

    func testAWrongPasswordNeverShowsTheURI() throws {
        let server = try PostgresServer.shared()
        let uri = server.uri(password: "N0t-The-Password")
        let remote = try PostgresStateStore(connectionString: uri, target: StateSamples.target)
        XCTAssertThrowsError(try remote.load(expectedTarget: nil)) { error in
            XCTAssertFalse("\(error)".contains("N0t-The-Password"), "\(error)")
            XCTAssertFalse("\(error)".contains(uri), "\(error)")
        }
    }
}
