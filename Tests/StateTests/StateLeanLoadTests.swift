import Foundation
import ReconCore
@testable import State
import TestSupport
import XCTest

/// The lean load of a delta run (issue 12, goal 4): the file is hashed whole, its records read for their keys and ids
/// only, and the values of the records the run plans decoded from the verified bytes; the write then copies the others.
/// The bytes written are a full encode's; a file that changed, repeats a key or holds a record that does not read is
/// refused with nothing written.
final class StateLeanLoadTests: XCTestCase {
    private let path = "state/recon.state.json"

    /// A state written in full, and the digest its write returned (what a delta baseline holds).
    private func written(_ state: StateModel, in scratch: TemporaryDirectory) throws -> (StateStore, String) {
        let store = StateSamples.store(in: scratch)
        var first = state
        let digest = try XCTUnwrap(try store.write(&first, keepHistory: 10, splicing: nil))
        return (store, digest)
    }

    private func key(_ n: Int) -> String { "core:skills/s\(n)/SKILL.md" }

    func testALeanLoadKeepsIdsAndKeysAndTheWriteIsAFullEncode() throws {
        let scratch = TemporaryDirectory()
        let (store, digest) = try written(StateSamples.populated(records: 1_000), in: scratch)
        let whole = try XCTUnwrap(try store.load(expectedTarget: StateSamples.target))
        let (loaded, loadedLayout) = try store.loadLean(expectedTarget: StateSamples.target, digest: digest)
        var lean = try XCTUnwrap(loaded)
        var layout = try XCTUnwrap(loadedLayout)
        XCTAssertTrue(lean.isPartial)
        XCTAssertEqual(layout.digest, digest)
        XCTAssertEqual(lean.records.mapValues { $0.mapValues(\.id) }, whole.records.mapValues { $0.mapValues(\.id) })
        XCTAssertEqual(lean.tables, whole.tables)
        XCTAssertEqual(lean.repos, whole.repos)
        XCTAssertEqual(lean.serial, whole.serial)
        XCTAssertEqual(lean.records["Skills"]?[key(7)]?.values, [:], "values stay in the file")

        let planned: Set<String> = Set(stride(from: 0, to: 1_000, by: 50).map(key))
        try store.decodeValues(of: ["Skills": planned, "Plugins": ["core:plugins/p0"], "Gone": ["x"]], in: &lean, layout: &layout)
        XCTAssertNil(layout.bytes, "the bytes are let go")
        for key in planned { XCTAssertEqual(lean.records["Skills"]?[key], whole.records["Skills"]?[key], key) }
        XCTAssertEqual(lean.records["Plugins"], whole.records["Plugins"])

        // What a run does with what it decoded: edits, a removal, a new record; the same to the whole state.
        layout.canonical = true
        var full = whole
        let change = { (target: inout StateModel) in
            target.apply(.putRecord(table: "Skills", key: self.key(50), record: StateSamples.record(5_000)))
            target.apply(.removeRecord(table: "Skills", key: self.key(100)))
            target.apply(.putRecord(table: "Skills", key: self.key(100) + "x", record: StateSamples.record(100)))
        }
        change(&lean)
        change(&full)
        let digestWritten = try store.write(&lean, keepHistory: 10, splicing: layout)
        let bytes = Array(try XCTUnwrap(scratch.data(path)))
        full.serial += 1
        XCTAssertTrue(bytes == StateCodec.encode(full), "the lean write is a full encode's bytes")
        XCTAssertEqual(digestWritten, SHA256.hex(bytes))
        XCTAssertEqual(try store.load(expectedTarget: StateSamples.target), full)
    }

    func testAnotherDigestLoadsTheStateWhole() throws {
        let scratch = TemporaryDirectory()
        let (store, digest) = try written(StateSamples.populated(records: 20), in: scratch)
        let other = String(repeating: "0", count: 64)
        let (loaded, layout) = try store.loadLean(expectedTarget: StateSamples.target, digest: other)
        XCTAssertFalse(try XCTUnwrap(loaded).isPartial)
        XCTAssertEqual(loaded, try store.load(expectedTarget: StateSamples.target))
        XCTAssertEqual(layout?.digest, digest, "hashed all the same")
        XCTAssertNil(layout?.bytes)
    }

    func testAJournalReplayedLoadsTheStateWhole() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated(records: 3)
        let journal = try store.beginJournal(for: &state, keepHistory: 10)
        let digest = SHA256.hex(Array(try XCTUnwrap(scratch.data(path))))
        try journal.append([.removeRecord(table: "Skills", key: key(1))], to: &state)
        journal.close()
        let (loaded, layout) = try store.loadLean(expectedTarget: StateSamples.target, digest: digest)
        XCTAssertEqual(loaded, state)
        XCTAssertFalse(try XCTUnwrap(loaded).isPartial)
        XCTAssertNil(layout, "the state is not the file's bytes")
    }

    func testAFileChangedBeforeTheWriteIsRefusedAndNothingIsWritten() throws {
        for edit in ["one byte changed", "cut short", "removed"] {
            let scratch = TemporaryDirectory()
            let (store, digest) = try written(StateSamples.populated(records: 30), in: scratch)
            let (loaded, loadedLayout) = try store.loadLean(expectedTarget: StateSamples.target, digest: digest)
            var lean = try XCTUnwrap(loaded)
            var layout = try XCTUnwrap(loadedLayout)
            try store.decodeValues(of: ["Skills": [key(3)]], in: &lean, layout: &layout)
            layout.canonical = true
            lean.apply(.putRecord(table: "Skills", key: key(3), record: StateSamples.record(99)))
            var bytes = Array(try XCTUnwrap(scratch.data(path)))
            switch edit {
            case "one byte changed": bytes[bytes.count / 2] ^= 0x01
            case "cut short": bytes.removeLast(40)
            default: bytes = []
            }
            if bytes.isEmpty { try FileManager.default.removeItem(atPath: scratch.file(path)) } else { _ = scratch.write(path, bytes) }
            let history = scratch.list("state/history")
            XCTAssertThrowsError(try store.write(&lean, keepHistory: 10, splicing: layout), edit) { error in
                XCTAssertTrue("\(error)".contains("changed while this run held the lock"), "\(error)")
            }
            XCTAssertThrowsError(try store.write(&lean, keepHistory: 10, splicing: nil), "never encoded: \(edit)")
            if bytes.isEmpty {
                XCTAssertFalse(scratch.exists(path), edit)
            } else {
                XCTAssertEqual(Array(try XCTUnwrap(scratch.data(path))), bytes, "the file is as it was: \(edit)")
            }
            XCTAssertEqual(scratch.list("state/history"), history, edit)
            XCTAssertEqual(scratch.list("state").filter { $0.contains(".tmp-") }, [], "no temp file left: \(edit)")
        }
    }

    /// Hostile bytes under a digest that matches them (a forged baseline): refused as a whole load refuses what it must.
    private func hostile(_ text: String) throws -> (TemporaryDirectory, StateStore, String) {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        let file = scratch.write(path, text)
        return (scratch, store, SHA256.hex(Array(try XCTUnwrap(FileManager.default.contents(atPath: file)))))
    }

    func testARepeatedKeyOrKeysOutOfOrderAreRefused() throws {
        for (why, records) in [
            ("a key repeated", #"{"T": {"a": {"id": "recA", "values": {}}, "a": {"id": "recA2", "values": {}}}}"#),
            ("keys out of order", #"{"T": {"b": {"id": "recB", "values": {}}, "a": {"id": "recA", "values": {}}}}"#),
            ("a table twice", #"{"T": {"a": {"id": "recA", "values": {}}}, "T": {"b": {"id": "recB", "values": {}}}}"#),
        ] {
            let (scratch, store, digest) = try hostile("""
                {"lineage": "L", "records": \(records), "repos": {}, "serial": 1, "tables": {}, "target": "t", "version": 1}
                """)
            let before = scratch.data(path)
            XCTAssertThrowsError(try store.loadLean(expectedTarget: nil, digest: digest), why) { error in
                XCTAssertTrue("\(error)".contains("is corrupt"), "\(why): \(error)")
            }
            XCTAssertEqual(scratch.data(path), before, why)
        }
    }

    func testARecordThatDoesNotReadIsRefusedWhenItsValuesAreNeeded() throws {
        let (scratch, store, digest) = try hostile("""
            {"lineage": "L", "records": {"T": {"a": {"id": "recA", "values": {"N": "A"}}, "b": {"id": "recB", "values": {"N": {"x": 1}}},
             "c": {"id": "recC", "values": {"N": "C"}, "adopted": 3}}}, "repos": {}, "serial": 1, "tables": {}, "target": "t", "version": 1}
            """)
        XCTAssertThrowsError(try store.load(expectedTarget: nil), "a whole load refuses it")
        let (loaded, loadedLayout) = try store.loadLean(expectedTarget: nil, digest: digest)
        var lean = try XCTUnwrap(loaded)
        var layout = try XCTUnwrap(loadedLayout)
        var probe = layout
        try store.decodeValues(of: ["T": ["a"]], in: &lean, layout: &probe)
        XCTAssertEqual(lean.records["T"]?["a"]?.values, ["N": .text("A")])
        for key in ["b", "c"] {
            var state = try XCTUnwrap(loaded)
            XCTAssertThrowsError(try store.decodeValues(of: ["T": [key]], in: &state, layout: &layout), key) { error in
                XCTAssertTrue("\(error)".contains("is corrupt") && "\(error)".contains("records.T.\(key)"), "\(error)")
            }
            layout = try XCTUnwrap(loadedLayout)
        }
        withExtendedLifetime(scratch) {}
    }

    func testBadSyntaxInValuesPassedOverIsRefusedAtTheLoad() throws {
        for values in ["{\"N\": \"\u{1}\"}", #"{"N": "\q"}"#, #"{"N": "A""#, #"{"N": tru}"#, #"{"N": 1e999}"#] {
            let (scratch, store, digest) = try hostile("""
                {"lineage": "L", "records": {"T": {"a": {"id": "recA", "values": \(values)}}}, "repos": {}, "serial": 1, "tables": {}, "target": "t", "version": 1}
                """)
            XCTAssertThrowsError(try store.loadLean(expectedTarget: nil, digest: digest), values) { error in
                XCTAssertTrue("\(error)".contains("is corrupt"), "\(values): \(error)")
            }
            XCTAssertNotNil(scratch.data(path))
        }
    }

    // MARK: The file held open instead of its bytes

    /// A state of `records` skills written in full and loaded lean: the store, the whole state, and the lean one with its layout.
    private func leanLoaded(records: Int, in scratch: TemporaryDirectory) throws
        -> (store: StateStore, whole: StateModel, lean: StateModel, layout: StateFileLayout) {
        let (store, digest) = try written(StateSamples.populated(records: records), in: scratch)
        let whole = try XCTUnwrap(try store.load(expectedTarget: StateSamples.target))
        let (loaded, layout) = try store.loadLean(expectedTarget: StateSamples.target, digest: digest)
        return (store, whole, try XCTUnwrap(loaded), try XCTUnwrap(layout))
    }

    /// The values are read again from the file held open, not from its bytes kept (63 MB at 100,000 records); a file of
    /// a few MB, so records straddle the 1 MB chunks of the pass that reads them.
    func testALeanLoadHoldsTheFileAndReadsTheValuesFromIt() throws {
        let scratch = TemporaryDirectory()
        var (store, whole, lean, layout) = try leanLoaded(records: 12_000, in: scratch)
        XCTAssertGreaterThan(try XCTUnwrap(scratch.data(path)).count, 2 << 20)
        XCTAssertNil(layout.bytes, "the bytes are not held")
        XCTAssertNotNil(layout.held)

        let planned = Set(whole.records["Skills"]!.keys)
        try store.decodeValues(of: ["Skills": planned], in: &lean, layout: &layout)
        XCTAssertNil(layout.held, "the file is let go")
        XCTAssertEqual(lean.records["Skills"], whole.records["Skills"])
        for key in planned {
            XCTAssertEqual(lean.records["Skills"]?[key], whole.records["Skills"]?[key], key)
            XCTAssertNotEqual(lean.records["Skills"]?[key]?.values, [:], key)
        }
    }

    /// What the name points at is not what is read: another file renamed over it leaves the one held, whose bytes still
    /// hash as loaded; a change of the held file's metadata alone (its mode, times, a second link) is no change either.
    func testAStateRenamedOverOrTouchedAfterALeanLoadStillReadsAsLoaded() throws {
        let scratch = TemporaryDirectory()
        var (store, whole, lean, layout) = try leanLoaded(records: 20, in: scratch)
        XCTAssertEqual(chmod(scratch.file(path), 0o400), 0)
        XCTAssertEqual(link(scratch.file(path), scratch.file("state/second-name.json")), 0)
        var other = StateSamples.populated(records: 3)
        other.serial = 99
        scratch.write("state/other.json", StateCodec.encode(other))
        XCTAssertEqual(rename(scratch.file("state/other.json"), scratch.file(path)), 0)

        try store.decodeValues(of: ["Skills": [key(1), key(12)]], in: &lean, layout: &layout)
        for key in [key(1), key(12)] {
            XCTAssertEqual(lean.records["Skills"]?[key], whole.records["Skills"]?[key], key)
            XCTAssertNotEqual(lean.records["Skills"]?[key]?.values, [:], key)
        }
    }

    /// Records the state does not hold (new keys) need no values: the file is not read again for them.
    func testADecodeThatNeedsNoValuesDoesNotReadTheFile() throws {
        let scratch = TemporaryDirectory()
        var (store, _, lean, layout) = try leanLoaded(records: 20, in: scratch)
        let before = lean
        // Cut short in place: any read of it now would be refused.
        XCTAssertEqual(truncate(scratch.file(path), 10), 0)
        try store.decodeValues(of: ["Skills": [key(500), key(501)]], in: &lean, layout: &layout)
        XCTAssertEqual(lean, before)
        XCTAssertNil(layout.held)
    }

    /// A write in place into the file held open (the same size, whatever its times say) is never read as the bytes that
    /// were hashed.
    func testAFileWrittenInPlaceAfterALeanLoadIsRefusedWhenItsValuesAreRead() throws {
        let scratch = TemporaryDirectory()
        var (store, _, lean, layout) = try leanLoaded(records: 50, in: scratch)
        let before = lean

        let text = String(decoding: try XCTUnwrap(scratch.data(path)), as: UTF8.self)
        let edited = Array(text.replacingOccurrences(of: "Skill 1 ", with: "Skill 7 ").utf8)
        XCTAssertNotEqual(edited, Array(text.utf8))
        XCTAssertEqual(edited.count, text.utf8.count)
        let fd = open(scratch.file(path), O_WRONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        var info = stat()
        XCTAssertEqual(fstat(fd, &info), 0)
        XCTAssertEqual(edited.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }, edited.count)
        // Its times put back: only the bytes can say it changed.
        var times = [info.st_atim, info.st_mtim]
        XCTAssertEqual(futimens(fd, &times), 0)
        close(fd)

        XCTAssertThrowsError(try store.decodeValues(of: ["Skills": [key(1)]], in: &lean, layout: &layout)) { error in
            XCTAssertTrue("\(error)".contains("changed while this run held the lock"), "\(error)")
        }
        XCTAssertEqual(lean, before, "nothing decoded from the edited file")
    }
}
