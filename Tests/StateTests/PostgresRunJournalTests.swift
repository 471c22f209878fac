import Foundation
import Postgres
import ReconCore
@testable import State
import TestSupport
import XCTest

/// A run's staged outcome lines commit in the state batch's own transaction (issue 9, point 3): when the batch
/// commits they are there, when it fails they are not, and they stay staged for the next write.
final class PostgresRunJournalTests: XCTestCase {
    func testStagedLinesCommitWithTheBatchOrNotAtAll() throws {
        let schema = "journal_\(UUID().uuidString.prefix(8).lowercased())"
        let store = try PostgresStateStore(connectionString: PostgresServer.shared().uri(), schema: schema, target: StateSamples.target)
        let archive = PostgresRunArchive(store)
        var state = StateSamples.populated(records: 2)
        try store.write(&state, keepHistory: 5)
        XCTAssertTrue(try archive.create(run: "r1", ledger: Array("{}".utf8)))
        let journal = try archive.journal(run: "r1")
        let log = try store.beginJournal(for: &state, keepHistory: 5)
        log.companion = journal

        journal.stage(lines: [Array("one".utf8)], ledger: Array(#"{"n":1}"#.utf8))
        try log.append([.putRecord(table: "Skills", key: "k1", record: StateSamples.record(1))], to: &state)
        XCTAssertEqual(try archive.lines(run: "r1"), [Array("one".utf8)])
        XCTAssertEqual(try archive.ledger(run: "r1"), Array(#"{"n":1}"#.utf8))

        // Another writer moves the head: the batch is refused, and its lines with it.
        var other = try XCTUnwrap(try store.load(expectedTarget: StateSamples.target))
        try store.write(&other, keepHistory: 5)
        journal.stage(lines: [Array("two".utf8)], ledger: Array(#"{"n":2}"#.utf8))
        XCTAssertThrowsError(try log.append([.putRecord(table: "Skills", key: "k2", record: StateSamples.record(2))], to: &state))
        XCTAssertEqual(try archive.lines(run: "r1"), [Array("one".utf8)], "the failed batch's lines did not commit")
        XCTAssertEqual(try archive.ledger(run: "r1"), Array(#"{"n":1}"#.utf8))

        // Still staged: the run's own write (its end) takes them.
        try journal.flush()
        XCTAssertEqual(try archive.lines(run: "r1"), [Array("one".utf8), Array("two".utf8)])
        XCTAssertEqual(try archive.ledger(run: "r1"), Array(#"{"n":2}"#.utf8))
        log.close()
        journal.close()
    }
}
