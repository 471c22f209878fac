import Foundation
import ReconCore
@testable import State
import TestSupport
import XCTest

final class StateJournalTests: XCTestCase {
    private let key = "core:skills/new/SKILL.md"

    func testAppendedBatchesAreReplayedOnLoadAfterACrash() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        let journal = try store.beginJournal(for: &state, keepHistory: 10)
        let snapshot = scratch.data("state/recon.state.json")
        try journal.append([.putRecord(table: "Skills", key: key, record: StateSamples.record(99))], to: &state)
        try journal.append([.removeRecord(table: "Skills", key: "core:skills/s0/SKILL.md"),
                            .putRepo(name: "core", repo: RepoState(commit: "feedface")),
                            .putTable(name: "Notes", table: TableState(id: "tblN", fields: ["Key": "fldK"])),
                            .removeTable(name: "Plugins")], to: &state)
        journal.close()

        XCTAssertEqual(state.serial, 3)
        XCTAssertEqual(scratch.data("state/recon.state.json"), snapshot, "appending never rewrites the snapshot")
        let loaded = try store.load(expectedTarget: StateSamples.target)
        XCTAssertEqual(loaded, state)
        XCTAssertEqual(loaded?.records["Skills"]?[key], StateSamples.record(99))
        XCTAssertNil(loaded?.records["Skills"]?["core:skills/s0/SKILL.md"])
        XCTAssertNil(loaded?.records["Plugins"])
        XCTAssertEqual(loaded?.repos["core"]?.commit, "feedface")
    }

    func testEachAppendIsOneLineTheSizeOfItsBatch() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated(records: 500)
        let journal = try store.beginJournal(for: &state, keepHistory: 10)
        try journal.append([.putRecord(table: "Skills", key: key, record: StateSamples.record(1))], to: &state)
        let text = String(decoding: scratch.data("state/recon.state.journal")!, as: UTF8.self)

        XCTAssertEqual(text.filter { $0 == "\n" }.count, 1)
        XCTAssertLessThan(text.utf8.count, 400)
        XCTAssertTrue(text.hasPrefix("{\"changes\":[{\"id\":\"rec00000000000001\",\"key\":\"\(key)\",\"op\":\"record\""))
        XCTAssertTrue(text.hasSuffix("\"serial\":2}\n"))
    }

    func testADurableBatchLeavesNoPageOfTheJournalCached() throws {
        let scratch = TemporaryDirectory()
        try XCTSkipUnless(PageCacheProbe.dropsFlushedPages(in: scratch.path), "\(scratch.path) keeps flushed pages (tmpfs)")
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated(records: 3)
        let journal = try store.beginJournal(for: &state, keepHistory: 10)
        for batch in 0..<3 {
            let changes = (0..<700).map { StateChange.putRecord(table: "Skills", key: "core:b\(batch)/\($0)", record: StateSamples.record(1_000 + $0)) }
            try journal.append(changes, to: &state)
        }
        journal.close()
        let path = scratch.file("state/recon.state.journal")
        XCTAssertGreaterThan(try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int), 100_000)
        XCTAssertLessThanOrEqual(try XCTUnwrap(PageCacheProbe.residentPages(path)), 1,
                                 "each batch, once flushed, is dropped from the page cache (but the partial last page)")
        XCTAssertEqual(try store.load(expectedTarget: StateSamples.target), state, "and read back from disk whole")
    }

    func testAFullWriteFoldsTheJournalIntoTheSnapshot() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        let journal = try store.beginJournal(for: &state, keepHistory: 10)
        try journal.append([.putRecord(table: "Skills", key: key, record: StateSamples.record(7))], to: &state)
        journal.close()
        try store.write(&state, keepHistory: 10)

        XCTAssertEqual(state.serial, 3)
        XCTAssertFalse(scratch.list("state").contains("recon.state.journal"))
        XCTAssertEqual(try store.load(expectedTarget: StateSamples.target), state)
    }

    func testATornLastLineIsIgnored() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        let journal = try store.beginJournal(for: &state, keepHistory: 10)
        try journal.append([.putRecord(table: "Skills", key: key, record: StateSamples.record(1))], to: &state)
        journal.close()
        let whole = scratch.data("state/recon.state.journal")!
        let torn = "{\"changes\":[{\"id\":\"rec2\",\"key\":\"k2\",\"op\":\"rec"
        scratch.write(String(decoding: whole, as: UTF8.self) + torn, to: "state/recon.state.journal")

        XCTAssertEqual(try store.load(expectedTarget: StateSamples.target), state)
        scratch.write(String(decoding: whole, as: UTF8.self) + torn + "\n", to: "state/recon.state.journal")
        XCTAssertEqual(try store.load(expectedTarget: StateSamples.target), state)
    }

    func testAReopenedJournalFoldsWhatACrashedRunLeftBeforeAppending() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        let first = try store.beginJournal(for: &state, keepHistory: 10)
        try first.append([.putRecord(table: "Skills", key: key, record: StateSamples.record(1))], to: &state)
        first.close()
        let journalText = String(decoding: scratch.data("state/recon.state.journal")!, as: UTF8.self)
        scratch.write(journalText + "{\"torn", to: "state/recon.state.journal")
        var resumed = try store.load(expectedTarget: StateSamples.target)!
        let second = try store.beginJournal(for: &resumed, keepHistory: 10)
        try second.append([.removeRecord(table: "Skills", key: key)], to: &resumed)
        second.close()

        XCTAssertEqual(resumed.serial, 4)
        XCTAssertEqual(try store.load(expectedTarget: StateSamples.target), resumed)
        XCTAssertNil(resumed.records["Skills"]?[key])
    }

    func testLinesAlreadyFoldedAreSkipped() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        let journal = try store.beginJournal(for: &state, keepHistory: 10)
        try journal.append([.putRecord(table: "Skills", key: key, record: StateSamples.record(1))], to: &state)
        journal.close()
        let leftover = scratch.data("state/recon.state.journal")!
        try store.write(&state, keepHistory: 10)
        try leftover.write(to: URL(fileURLWithPath: store.journalPath))

        XCTAssertEqual(try store.load(expectedTarget: StateSamples.target), state)
    }

    func testADamagedMiddleLineIsRefusedAndLeftAlone() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        let journal = try store.beginJournal(for: &state, keepHistory: 10)
        try journal.append([.removeRecord(table: "Skills", key: "a")], to: &state)
        try journal.append([.removeRecord(table: "Skills", key: "b")], to: &state)
        journal.close()
        let lines = String(decoding: scratch.data("state/recon.state.journal")!, as: UTF8.self).split(separator: "\n")
        let damaged = "{garbage\n" + lines[1] + "\n"
        scratch.write(damaged, to: "state/recon.state.journal")

        XCTAssertThrowsError(try store.load(expectedTarget: StateSamples.target)) {
            XCTAssertTrue("\($0)".contains("is damaged at line 1"), "\($0)")
        }
        XCTAssertEqual(scratch.data("state/recon.state.journal"), Data(damaged.utf8))
    }

    func testAJournalOfAnotherLineageOrWithAGapIsRefused() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        try store.write(&state, keepHistory: 10)
        scratch.write("{\"changes\":[],\"lineage\":\"someone-else\",\"serial\":2}\n", to: "state/recon.state.journal")

        XCTAssertThrowsError(try store.load(expectedTarget: nil)) {
            XCTAssertTrue("\($0)".contains("belongs to another state"), "\($0)")
        }
        scratch.write("{\"changes\":[],\"lineage\":\"\(state.lineage)\",\"serial\":5}\n", to: "state/recon.state.journal")
        XCTAssertThrowsError(try store.load(expectedTarget: nil)) {
            XCTAssertTrue("\($0)".contains("skips from serial 1 to 5"), "\($0)")
        }
    }

    func testAJournalWithoutItsStateFileIsRefused() throws {
        let scratch = TemporaryDirectory()
        scratch.write("{\"changes\":[],\"lineage\":\"l\",\"serial\":1}\n", to: "state/recon.state.journal")

        XCTAssertThrowsError(try StateSamples.store(in: scratch).load(expectedTarget: nil)) {
            XCTAssertTrue("\($0)".contains("but no state file"), "\($0)")
        }
    }

    func testBeginningAJournalForANewStateWritesTheSnapshotFirst() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = try store.loadOrCreate(target: StateSamples.target)
        let journal = try store.beginJournal(for: &state, keepHistory: 10)
        try journal.append([.putRepo(name: "core", repo: RepoState(commit: "abc"))], to: &state)

        XCTAssertEqual(state.serial, 2)
        XCTAssertEqual(try store.load(expectedTarget: StateSamples.target)?.repos["core"]?.commit, "abc")
    }
}
