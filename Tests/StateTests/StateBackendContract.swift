import Foundation
import ReconCore
@testable import State
import XCTest

/// What every `StateBackend` must do, run against each (local files, PostgreSQL): the same
/// sequence of writes and batches gives the same canonical state, and the same refusals.
enum StateBackendContract {
    static func roundTrip(_ backend: some StateBackend, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertNil(try backend.load(expectedTarget: StateSamples.target), "empty at first", file: file, line: line)
        var state = StateSamples.populated(records: 20)
        state.records["Skills"]?["core:skills/s1/SKILL.md"]?.adopted = ["Name": .text("")]
        try backend.write(&state, keepHistory: 3)
        XCTAssertEqual(state.serial, 1, file: file, line: line)
        let log = try backend.beginJournal(for: &state, keepHistory: 3)
        try log.append([.putRecord(table: "Skills", key: "core:skills/new/SKILL.md", record: StateSamples.record(99))], to: &state)
        try log.append([.removeRecord(table: "Skills", key: "core:skills/s0/SKILL.md"),
                        .putRepo(name: "core", repo: RepoState(commit: "feedface")),
                        .putTable(name: "Notes", table: TableState(id: "tblN", fields: ["Key": "fldK"])),
                        .removeTable(name: "Plugins")], to: &state)
        log.close()
        XCTAssertEqual(state.serial, 3, file: file, line: line)
        let loaded = try XCTUnwrap(try backend.load(expectedTarget: StateSamples.target), file: file, line: line)
        XCTAssertEqual(loaded, state, "the snapshot with both batches applied", file: file, line: line)
        XCTAssertEqual(StateCodec.encode(loaded), StateCodec.encode(state), file: file, line: line)

        var folded = loaded
        try backend.write(&folded, keepHistory: 3)
        XCTAssertEqual(folded.serial, 4, file: file, line: line)
        XCTAssertEqual(try backend.load(expectedTarget: StateSamples.target), folded, file: file, line: line)
        for _ in 0..<3 { try backend.write(&folded, keepHistory: 3) }
        XCTAssertEqual(try backend.versions().map(\.serial), [5, 6, 7], "pruned to keepHistory", file: file, line: line)
        var old = try XCTUnwrap(try backend.loadVersion(serial: 5), file: file, line: line)
        old.serial = folded.serial
        XCTAssertEqual(old, folded, "a version is the state as written", file: file, line: line)
        XCTAssertNil(try backend.loadVersion(serial: 1), file: file, line: line)
        XCTAssertEqual(try backend.pruneHistory(keepLast: 1).map(\.serial), [5, 6], file: file, line: line)
    }

    static func refusals(_ backend: some StateBackend, file: StaticString = #filePath, line: UInt = #line) throws {
        var state = StateSamples.populated()
        try backend.write(&state, keepHistory: 3)
        XCTAssertThrowsError(try backend.load(expectedTarget: "airtable:appOTHER"), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains("airtable:appOTHER"), "\(error)", file: file, line: line)
        }
        var stranger = StateStore.newState(target: StateSamples.target)
        XCTAssertThrowsError(try backend.write(&stranger, keepHistory: 3), "another lineage would overwrite", file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains("refusing to overwrite"), "\(error)", file: file, line: line)
        }
        XCTAssertEqual(try backend.load(expectedTarget: StateSamples.target), state, "left untouched", file: file, line: line)
    }
}
