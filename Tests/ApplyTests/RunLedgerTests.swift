import Apply
import Foundation
import Plan
import ReconCore
import TestSupport
import XCTest

/// Run ledgers on real files: what is written, what is read back, and how runs are listed.
final class RunLedgerTests: XCTestCase {
    private let t0 = UTCTimestamp.parse("2026-11-20T10:00:00.000Z")!

    private func outcome(_ key: String, _ action: RecordAction = .create, _ status: EntityOutcome.Status = .ok,
                         error: String? = nil) -> EntityOutcome {
        EntityOutcome(table: "Skills", key: key, action: action, recordID: status == .ok ? "rec-\(key)" : nil,
                      status: status, error: error)
    }

    func testACompletedBatchLeavesNoPageOfTheOutcomesCached() throws {
        let temp = TemporaryDirectory()
        try XCTSkipUnless(PageCacheProbe.dropsFlushedPages(in: temp.path), "\(temp.path) keeps flushed pages (tmpfs)")
        let ledger = try RunLedger.start(runsDirectory: "\(temp.path)/state/runs", operation: .apply, planDigest: "sha256:abc",
                                         target: "sqlite:catalog.sqlite", leaseID: "lease-1", at: t0)
        try ledger.beginPhase("creates", at: t0)
        try ledger.record((0..<2_000).map { outcome("key-\($0)") })
        try ledger.batchCompleted(at: t0.addingTimeInterval(1))
        XCTAssertGreaterThan(try XCTUnwrap(FileManager.default.attributesOfItem(atPath: ledger.outcomesPath)[.size] as? Int), 100_000)
        XCTAssertLessThanOrEqual(try XCTUnwrap(PageCacheProbe.residentPages(ledger.outcomesPath)), 1,
                                 "the flushed batch is dropped from the page cache (but the partial last page)")
        try ledger.finish(.succeeded, at: t0.addingTimeInterval(2))
        XCTAssertEqual(try RunLedger.load(runDirectory: ledger.directory).counters.created, 2_000)
    }

    func testLedgerRoundTripsPhasesCountersAndStatus() throws {
        let temp = TemporaryDirectory()
        let runs = "\(temp.path)/state/runs"
        let ledger = try RunLedger.start(runsDirectory: runs, operation: .apply, planDigest: "sha256:abc",
                                         target: "sqlite:catalog.sqlite", leaseID: "lease-1", at: t0)
        XCTAssertTrue(RunID.isValid(ledger.id))
        XCTAssertTrue(ledger.id.hasPrefix("20261120T100000Z-"))
        XCTAssertEqual(ledger.directory, "\(runs)/\(ledger.id)")
        XCTAssertEqual(try RunLedger.load(runDirectory: ledger.directory).status, .running)

        try ledger.beginPhase("backup", at: t0.addingTimeInterval(1))
        try ledger.beginPhase("creates", at: t0.addingTimeInterval(2))
        try ledger.record([outcome("a"), outcome("b"), outcome("c", .create, .failed, error: "HTTP 422")])
        try ledger.batchCompleted(at: t0.addingTimeInterval(3))
        try ledger.beginPhase("updates", at: t0.addingTimeInterval(4))
        try ledger.record([outcome("d", .update), outcome("e", .adopt), outcome("f", .delete), outcome("g", .archive),
                           outcome("h", .update, .skipped), outcome("i", .forget)])
        try ledger.batchCompleted(at: t0.addingTimeInterval(5))
        ledger.warn("1 record failed")
        try ledger.finish(.succeeded, at: t0.addingTimeInterval(6))

        let record = try RunLedger.load(runDirectory: ledger.directory)
        XCTAssertEqual(record, ledger.record)
        XCTAssertEqual(record.status, .succeededWithWarnings, "warnings turn success into success with warnings")
        XCTAssertEqual(record.operation, .apply)
        XCTAssertEqual(record.planDigest, "sha256:abc")
        XCTAssertEqual(record.target, "sqlite:catalog.sqlite")
        XCTAssertEqual(record.leaseID, "lease-1")
        XCTAssertEqual(record.phases.map(\.name), ["backup", "creates", "updates"])
        XCTAssertEqual(record.phases.map(\.finished), [t0.addingTimeInterval(2), t0.addingTimeInterval(4), t0.addingTimeInterval(6)])
        XCTAssertEqual(record.counters, RunCounters(created: 2, updated: 1, deleted: 1, archived: 1, adopted: 1, skipped: 1, failed: 1, batches: 2))
        XCTAssertEqual(record.warnings, ["1 record failed"])
        XCTAssertEqual(record.heartbeat, t0.addingTimeInterval(6))
        XCTAssertEqual(record.finished, t0.addingTimeInterval(6))
        XCTAssertEqual(record.duration, 6)
        XCTAssertThrowsError(try ledger.heartbeat()) { XCTAssertTrue("\($0)".contains("already finished")) }
        XCTAssertThrowsError(try ledger.record(outcome("z")))

        let json = try JSONParser.parse(Array(try XCTUnwrap(FileManager.default.contents(atPath: ledger.ledgerPath))))
        XCTAssertEqual(json["status"], "succeeded_with_warnings")
        XCTAssertEqual(json["counters"]?["created"], 2)
        XCTAssertEqual(json["started"], "2026-11-20T10:00:00.000Z")
    }

    func testFailedRunKeepsItsErrorMessage() throws {
        let temp = TemporaryDirectory()
        let ledger = try RunLedger.start(runsDirectory: temp.path, operation: .rollback, planDigest: "d", target: "t",
                                         leaseID: nil, at: t0)
        try ledger.finish(.failed, error: "the base refused batch 3: disk I/O error", at: t0.addingTimeInterval(2))
        let record = try RunLedger.load(runDirectory: ledger.directory)
        XCTAssertEqual(record.status, .failed)
        XCTAssertEqual(record.operation, .rollback)
        XCTAssertEqual(record.error, "the base refused batch 3: disk I/O error")
    }

    func testOutcomesAreAppendedNeverRewritten() throws {
        let temp = TemporaryDirectory()
        let ledger = try RunLedger.start(runsDirectory: temp.path, operation: .apply, planDigest: "d", target: "t",
                                         leaseID: nil, at: t0)
        try ledger.record([outcome("a"), outcome("b", .update, .failed, error: "bad \"value\"")])
        try ledger.batchCompleted()
        let first = try XCTUnwrap(FileManager.default.contents(atPath: ledger.outcomesPath))
        let inode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: ledger.outcomesPath)[.systemFileNumber] as? Int)
        try ledger.record(outcome("c", .delete))
        try ledger.batchCompleted()
        let second = try XCTUnwrap(FileManager.default.contents(atPath: ledger.outcomesPath))
        XCTAssertTrue(second.starts(with: first), "earlier lines stay byte for byte")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: ledger.outcomesPath)[.systemFileNumber] as? Int, inode,
                       "the same file, appended, not replaced")
        let lines = String(decoding: second, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines[0], #"{"action":"create","key":"a","record_id":"rec-a","status":"ok","table":"Skills"}"#)
        XCTAssertEqual(lines[1], #"{"action":"update","error":"bad \"value\"","key":"b","status":"failed","table":"Skills"}"#)
        XCTAssertEqual(try RunLedger.outcomes(runDirectory: ledger.directory),
                       [outcome("a"), outcome("b", .update, .failed, error: "bad \"value\""), outcome("c", .delete)])
    }

    func testIntentLinesAreReadApartFromOutcomesAndCountNowhere() throws {
        let temp = TemporaryDirectory()
        let ledger = try RunLedger.start(runsDirectory: temp.path, operation: .apply, planDigest: "d", target: "t",
                                         leaseID: nil, at: t0)
        let intent = BatchIntent(action: .create, table: "Skills", keys: ["a", "b"], batch: 1)
        try ledger.record(intent)
        try ledger.record(outcome("a"))
        try ledger.batchCompleted()
        let text = String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: ledger.outcomesPath)), as: UTF8.self)
        XCTAssertEqual(text.split(separator: "\n").first, #"{"batch":1,"intent":"create","keys":["a","b"],"table":"Skills"}"#)
        let entries = try RunLedger.entries(runDirectory: ledger.directory)
        XCTAssertEqual(entries.intents, [intent])
        XCTAssertEqual(entries.outcomes, [outcome("a")])
        XCTAssertEqual(ledger.record.counters.created, 1)
    }

    func testATornLastOutcomeLineIsIgnoredAndABadLineIsAnError() throws {
        let temp = TemporaryDirectory()
        let ledger = try RunLedger.start(runsDirectory: temp.path, operation: .apply, planDigest: "d", target: "t",
                                         leaseID: nil, at: t0)
        try ledger.record([outcome("a"), outcome("b")])
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: ledger.outcomesPath))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"action":"create","key":"#.utf8))
        handle.closeFile()
        XCTAssertEqual(try RunLedger.outcomes(runDirectory: ledger.directory).map(\.key), ["a", "b"])

        temp.write("bad/outcomes.jsonl", "{\"action\":\"create\",\"key\":\"a\",\"status\":\"ok\",\"table\":\"T\"}\nnot json\n")
        XCTAssertThrowsError(try RunLedger.outcomes(runDirectory: "\(temp.path)/bad")) { error in
            XCTAssertTrue((error as! ReconError).message.hasSuffix("outcomes.jsonl:2: not an outcome line"))
        }
    }

    func testListIsNewestFirstAndSkipsUnreadableFolders() throws {
        let temp = TemporaryDirectory()
        let runs = "\(temp.path)/state/runs"
        var ids: [String] = []
        for hours in [5.0, 1, 3] {
            let ledger = try RunLedger.start(runsDirectory: runs, operation: .apply, planDigest: "d", target: "t",
                                             leaseID: nil, at: t0.addingTimeInterval(hours * 3600))
            try ledger.finish(.succeeded, at: t0.addingTimeInterval(hours * 3600 + 10))
            ids.append(ledger.id)
        }
        temp.write("state/runs/20261120T000000Z-000000/ledger.json", "{broken")
        temp.write("state/runs/.deleting-old/ledger.json", "{}")
        let listing = RunLedger.listing(runsDirectory: runs)
        XCTAssertEqual(listing.runs.map(\.id), [ids[0], ids[2], ids[1]])
        XCTAssertEqual(listing.runs.map(\.status), [.succeeded, .succeeded, .succeeded])
        XCTAssertEqual(listing.unreadable.map(\.path), ["\(runs)/20261120T000000Z-000000"])
        XCTAssertTrue(listing.unreadable[0].reason.contains("not a run ledger"))
        XCTAssertEqual(RunLedger.list(runsDirectory: runs).map(\.id), listing.runs.map(\.id))
        XCTAssertEqual(RunLedger.list(runsDirectory: "\(temp.path)/missing"), [])
        XCTAssertEqual(ids.sorted(), [ids[1], ids[2], ids[0]], "run ids sort by start time")
    }

    func testRunningLedgerWithoutItsLeaseIsShownInterrupted() throws {
        let temp = TemporaryDirectory()
        let layout = RunLayout(stateDirectory: "\(temp.path)/state")
        let lease = try Lease.acquire(path: layout.lockPath, operation: "apply", heartbeat: false)
        let live = try RunLedger.start(runsDirectory: layout.runsDirectory, operation: .apply, planDigest: "d", target: "t",
                                       leaseID: lease.id, at: t0.addingTimeInterval(60))
        let crashed = try RunLedger.start(runsDirectory: layout.runsDirectory, operation: .apply, planDigest: "d", target: "t",
                                          leaseID: "lease-of-a-killed-run", at: t0)
        var statuses = Dictionary(uniqueKeysWithValues: RunLedger.list(runsDirectory: layout.runsDirectory).map { ($0.id, $0.status) })
        XCTAssertEqual(statuses[live.id], .running)
        XCTAssertEqual(statuses[crashed.id], .interrupted)

        try lease.release()
        statuses = Dictionary(uniqueKeysWithValues: RunLedger.list(runsDirectory: layout.runsDirectory).map { ($0.id, $0.status) })
        XCTAssertEqual(statuses[live.id], .interrupted, "no lease at all: nothing is running")
        XCTAssertEqual(try RunLedger.load(runDirectory: live.directory).status, .running, "the file itself is not changed")
    }

    func testRunIDsAreSortableAndParse() {
        let id = RunID.make(at: t0)
        XCTAssertEqual(id.count, "20261120T100000Z-abcdef".count)
        XCTAssertEqual(RunID.date(of: id), t0)
        XCTAssertFalse(RunID.isValid("20261120T100000Z"))
        XCTAssertFalse(RunID.isValid("latest"))
        XCTAssertLessThan(RunID.make(at: t0), RunID.make(at: t0.addingTimeInterval(1)))
    }
}
