import Foundation
import Postgres
import ReconCore
@testable import State
import TestSupport
import XCTest

/// The version of a PostgreSQL state (issue 12) against the real server: every write to the target's state rows
/// moves it, Recon's through each write path and anyone else's through the trigger; reads, and other targets' writes
/// by Recon, do not; a store made before the marks gets them at its next connection and keeps its state.
final class PostgresStateMarksTests: XCTestCase {
    private func freshSchema(_ suffix: String = "") -> String {
        let name = "marks_\(UUID().uuidString.prefix(8).lowercased())" + suffix
        addTeardownBlock { _ = try? PGConnection(PostgresServer.shared().uri()).exec("DROP SCHEMA IF EXISTS \(PGIdentifier.quote(name)) CASCADE") }
        return name
    }

    private func store(_ schema: String, target: String = StateSamples.target) throws -> PostgresStateStore {
        try PostgresStateStore(connectionString: PostgresServer.shared().uri(), schema: schema, target: target)
    }

    private func version(_ store: PostgresStateStore) -> String? { PostgresSealStore(store).stateVersion() }

    /// Statements run one after another on one connection of their own, as psql would.
    private func psql(_ statements: String...) throws {
        let connection = try PGConnection(PostgresServer.shared().uri())
        for sql in statements { try connection.exec(sql) }
    }

    func testEveryWriteToTheStateRowsMovesTheVersion() throws {
        let schema = freshSchema()
        let store = try store(schema)
        XCTAssertNil(version(store), "no state yet, no version")
        var state = StateSamples.populated(records: 5)
        try store.write(&state, keepHistory: 3)
        var seen: [String] = []
        func moved(_ what: String, file: StaticString = #filePath, line: UInt = #line) {
            guard let now = version(store) else { return XCTFail("\(what): no version", file: file, line: line) }
            XCTAssertFalse(seen.contains(now), "\(what) did not move the version", file: file, line: line)
            seen.append(now)
        }
        moved("write")
        _ = try store.load(expectedTarget: StateSamples.target)
        XCTAssertEqual(version(store), seen.last, "a read moves nothing")

        let log = try store.beginJournal(for: &state, keepHistory: 3)
        try log.append([.putRecord(table: "Skills", key: "k-new", record: StateSamples.record(9))], to: &state)
        moved("a batch")
        log.close()

        // Another target in the same schema: Recon's writes there are counted there.
        let other = try self.store(schema, target: "sqlite:other.sqlite")
        var otherState = StateSamples.populated(records: 2)
        otherState.target = "sqlite:other.sqlite"
        try other.write(&otherState, keepHistory: 3)
        XCTAssertEqual(version(store), seen.last, "another target's write by Recon")

        let items = "\(PGIdentifier.quote(schema)).state_items", heads = "\(PGIdentifier.quote(schema)).state_heads"
        try psql("UPDATE \(items) SET entry = entry WHERE kind = 'record'")
        moved("an UPDATE that changes no byte")
        try psql("DELETE FROM \(items) WHERE ctid = (SELECT ctid FROM \(items) WHERE kind = 'record' ORDER BY name LIMIT 1)")
        moved("a DELETE")
        try psql("INSERT INTO \(items) SELECT target, kind, scope, name || '\\x00'::bytea, entry FROM \(items) WHERE kind = 'record' LIMIT 1")
        moved("an INSERT")
        try psql("UPDATE \(heads) SET serial = serial")
        moved("the head")
        try psql("BEGIN", "SET LOCAL session_replication_role = replica", "UPDATE \(items) SET entry = entry", "COMMIT")
        moved("a replica session")
        try psql("ALTER TABLE \(items) DISABLE TRIGGER _recon_state_changes")
        XCTAssertNil(try PostgresStateMarks(schema: store.schema).version(target: store.target, on: PGConnection(PostgresServer.shared().uri())),
                     "a disabled trigger: no version")
        try psql("UPDATE \(items) SET entry = entry", "ALTER TABLE \(items) ENABLE ALWAYS TRIGGER _recon_state_changes")
        moved("a write while the trigger was off, the trigger back on")
        try psql("UPDATE \(PGIdentifier.quote(schema)).state_marks SET writes = writes")
        moved("an edit of the marks themselves")
        try psql("TRUNCATE \(items)")
        moved("a TRUNCATE")

        try store.importState(StateSamples.populated(records: 3), versions: [])
        moved("an import")
        try store.discard()
        XCTAssertNil(version(store), "no head, no version")
    }

    func testAStoreMadeBeforeTheMarksGetsThemAndKeepsItsState() throws {
        let schema = freshSchema()
        let store = try store(schema)
        var state = StateSamples.populated(records: 4)
        try store.write(&state, keepHistory: 3)
        // As an older Recon left it: no marks, no seals, no function, no triggers.
        let quoted = PGIdentifier.quote(schema)
        try psql("DROP TRIGGER _recon_state_changes ON \(quoted).state_items", "DROP TRIGGER _recon_state_changes ON \(quoted).state_heads",
                 "DROP FUNCTION \(quoted).state_changed()", "DROP TABLE \(quoted).state_marks, \(quoted).state_seals")
        let loaded = try XCTUnwrap(try store.load(expectedTarget: StateSamples.target))
        XCTAssertEqual(loaded, state, "the state as it was")
        let version = try XCTUnwrap(version(store), "the marks were installed by the first connection")
        try psql("UPDATE \(quoted).state_items SET entry = entry")
        XCTAssertNotEqual(self.version(store), version, "and count writes")
        var next = loaded
        let log = try store.beginJournal(for: &next, keepHistory: 3)
        try log.append([.removeRecord(table: "Skills", key: try XCTUnwrap(next.records["Skills"]?.keys.sorted().first))], to: &next)
        log.close()
        XCTAssertEqual(try store.load(expectedTarget: StateSamples.target), next)
    }

    func testASchemaNameHoldingTheFunctionsQuoteWorksUnsealed() throws {
        let schema = freshSchema("$recon$x")
        let store = try store(schema)
        var state = StateSamples.populated(records: 2)
        try store.write(&state, keepHistory: 3)
        XCTAssertEqual(try store.load(expectedTarget: StateSamples.target), state)
        XCTAssertNil(version(store), "no marks, so no version and no seal")
        let functions = try PGConnection(PostgresServer.shared().uri())
            .exec("SELECT count(*) FROM pg_catalog.pg_proc WHERE pronamespace = to_regnamespace($1)", [.text(PGIdentifier.quote(schema))])
        XCTAssertEqual(functions.integer(0, 0), 0)
    }
}
