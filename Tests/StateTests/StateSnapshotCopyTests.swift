import Foundation
import ReconCore
@testable import State
import TestSupport
import XCTest

/// A run's backup of the prior state copies the state file when the state is exactly that file, checked against the
/// digest its bytes had at load (issue 12): the copy is those bytes or nothing, never a file edited since.
final class StateSnapshotCopyTests: XCTestCase {
    func testAStateReadWholeFromItsFileIsCopiedByteForByte() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        try store.write(&state, keepHistory: 10)
        let file = try XCTUnwrap(scratch.data("state/recon.state.json"))

        let (loaded, digest) = try store.loadWithDigest(expectedTarget: StateSamples.target)
        XCTAssertEqual(loaded, state)
        XCTAssertEqual(digest, SHA256.hex(Array(file)))
        XCTAssertTrue(try store.copySnapshot(digest: try XCTUnwrap(digest), to: scratch.file("backup/state.json")))
        XCTAssertEqual(scratch.data("backup/state.json"), file)
        var info = stat()
        XCTAssertEqual(stat(scratch.file("backup/state.json"), &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
    }

    func testAFileChangedSinceTheLoadIsNotCopied() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        try store.write(&state, keepHistory: 10)
        let digest = try XCTUnwrap(try store.loadWithDigest(expectedTarget: StateSamples.target).fileDigest)
        // The same size and shape, one value changed in place.
        let edited = String(decoding: try XCTUnwrap(scratch.data("state/recon.state.json")), as: UTF8.self)
            .replacingOccurrences(of: "Skill 1 ", with: "Skill 7 ")
        scratch.write("state/recon.state.json", edited)

        XCTAssertFalse(try store.copySnapshot(digest: digest, to: scratch.file("backup/state.json")))
        XCTAssertFalse(scratch.exists("backup/state.json"), "nothing is left where the copy was going")
        XCTAssertEqual(scratch.list("backup"), [], "no temp file either")
    }

    func testAStateWithJournalLinesReplayedHasNoDigest() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        let journal = try store.beginJournal(for: &state, keepHistory: 10)
        XCTAssertNotNil(try store.loadWithDigest(expectedTarget: StateSamples.target).fileDigest, "the snapshot alone")
        try journal.append([.putRecord(table: "Skills", key: "core:skills/new/SKILL.md", record: StateSamples.record(99))], to: &state)
        journal.close()

        let (loaded, digest) = try store.loadWithDigest(expectedTarget: StateSamples.target)
        XCTAssertEqual(loaded, state)
        XCTAssertNil(digest, "the state is the file plus a journal line: its backup is encoded, not copied")
    }
}
