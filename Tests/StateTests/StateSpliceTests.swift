import Foundation
import ReconCore
@testable import State
import TestSupport
import XCTest

/// The state write copies the records a run left as loaded from the file it loaded (issue 12, goal 4): the file
/// written is byte for byte the one a full encode writes, and anything that makes a copy doubtful (the file changed
/// since the load, a journal replayed, a layout nobody vouched for) means a full encode.
final class StateSpliceTests: XCTestCase {
    private let path = "state/recon.state.json"

    /// Writes `state` in full, loads it back with its layout (vouched canonical, as a delta run does), lets `change`
    /// edit the loaded state, and writes it with splicing; returns the bytes written and what a full encode makes.
    private func spliced(_ state: StateModel, change: (inout StateModel) -> Void,
                         file: StaticString = #filePath, line: UInt = #line) throws -> (written: [UInt8], full: [UInt8]) {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var first = state
        try store.write(&first, keepHistory: 10)
        let (loaded, loadedLayout) = try store.loadWithLayout(expectedTarget: StateSamples.target)
        var layout = try XCTUnwrap(loadedLayout, file: file, line: line)
        layout.canonical = true
        var next = try XCTUnwrap(loaded, file: file, line: line)
        change(&next)
        let digest = try store.write(&next, keepHistory: 10, splicing: layout)
        let written = Array(try XCTUnwrap(scratch.data(path), file: file, line: line))
        XCTAssertEqual(digest, SHA256.hex(written), "the digest returned is the file's", file: file, line: line)
        XCTAssertEqual(try store.load(expectedTarget: StateSamples.target), next, file: file, line: line)
        return (written, StateCodec.encode(next))
    }

    private func assertSplicedIsFull(_ state: StateModel, _ why: String, change: (inout StateModel) -> Void,
                                     file: StaticString = #filePath, line: UInt = #line) throws {
        let (written, full) = try spliced(state, change: change, file: file, line: line)
        // Bytes, not strings: Swift compares strings by canonical equivalence (NFC and NFD would be equal).
        XCTAssertTrue(written == full, "\(why):\n\(String(decoding: written, as: UTF8.self))\nfull encode:\n\(String(decoding: full, as: UTF8.self))",
                      file: file, line: line)
    }

    func testEveryKindOfChangeWritesWhatAFullEncodeWrites() throws {
        var base = StateSamples.populated(records: 40)
        base.records["Skills"]!["core:skills/s3/SKILL.md"]!.adopted = ["Name": .text(""), "Stars": .number(2)]
        base.records["Docs"] = ["a": ManagedRecord(id: "recA", values: ["Name": .text("A")]),
                                "c": ManagedRecord(id: "recC", values: ["Name": .text("C")])]
        try assertSplicedIsFull(base, "nothing changed") { _ in }
        try assertSplicedIsFull(base, "a value edited") {
            $0.apply(.putRecord(table: "Skills", key: "core:skills/s7/SKILL.md", record: ManagedRecord(id: "rec7", values: ["Name": .text("seven")])))
        }
        try assertSplicedIsFull(base, "records removed, the first and the last") {
            $0.apply(.removeRecord(table: "Skills", key: "core:skills/s0/SKILL.md"))
            $0.apply(.removeRecord(table: "Skills", key: "core:skills/s9/SKILL.md"))
        }
        try assertSplicedIsFull(base, "a table removed") { $0.apply(.removeTable(name: "Docs")) }
        try assertSplicedIsFull(base, "the only record of a table removed") { $0.apply(.removeRecord(table: "Plugins", key: "core:plugins/p0")) }
        try assertSplicedIsFull(base, "a key that sorts between carried ones, a key before all, a key after all") {
            $0.apply(.putRecord(table: "Docs", key: "b", record: ManagedRecord(id: "recB", values: ["Name": .text("B")])))
            $0.apply(.putRecord(table: "Docs", key: "0", record: ManagedRecord(id: "rec0", values: [:])))
            $0.apply(.putRecord(table: "Docs", key: "z", record: ManagedRecord(id: "recZ", values: ["N": .number(1e300)])))
        }
        try assertSplicedIsFull(base, "a new table between carried ones") {
            $0.apply(.putRecord(table: "E", key: "x", record: ManagedRecord(id: "recX", values: [:])))
        }
        try assertSplicedIsFull(base, "an adoption changed and one added") {
            var three = $0.records["Skills"]!["core:skills/s3/SKILL.md"]!
            three.adopted["Stars"] = nil
            $0.apply(.putRecord(table: "Skills", key: "core:skills/s3/SKILL.md", record: three))
            var four = $0.records["Skills"]!["core:skills/s4/SKILL.md"]!
            four.adopted = ["Tags": .list([])]
            $0.apply(.putRecord(table: "Skills", key: "core:skills/s4/SKILL.md", record: four))
        }
        try assertSplicedIsFull(base, "a record put again equal to the loaded one") {
            let five = $0.records["Skills"]!["core:skills/s5/SKILL.md"]!
            $0.apply(.putRecord(table: "Skills", key: "core:skills/s5/SKILL.md", record: ManagedRecord(id: five.id, values: five.values)))
        }
    }

    /// Swift compares strings by canonical equivalence, so "é" composed (NFC) and decomposed (NFD) are one key and one
    /// value to `==`: only bytes may decide what is copied.
    func testUnicodeKeysAndValuesInTheOtherNormalFormAreWrittenAsTheStateHoldsThem() throws {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        var base = StateSamples.populated(records: 5)
        base.records["Docs"] = [nfd: ManagedRecord(id: "recNFD", values: ["Name": .text(nfd), nfd: .text("x")]),
                                "\u{1F600}": ManagedRecord(id: "recSMILE", values: ["Name": .text("\u{1F600}")]),
                                "d": ManagedRecord(id: "recD", values: [:])]
        try assertSplicedIsFull(base, "carried as loaded") { _ in }
        try assertSplicedIsFull(base, "the value put again in the other form") {
            $0.apply(.putRecord(table: "Docs", key: nfd, record: ManagedRecord(id: "recNFD", values: ["Name": .text(nfc), nfc: .text("x")])))
        }
        try assertSplicedIsFull(base, "the key removed and put again in the other form") {
            $0.apply(.removeRecord(table: "Docs", key: nfd))
            $0.apply(.putRecord(table: "Docs", key: nfc, record: ManagedRecord(id: "recNFD", values: ["Name": .text(nfd)])))
        }
        try assertSplicedIsFull(base, "the key put in the other form over the loaded one") {
            $0.apply(.putRecord(table: "Docs", key: nfc, record: ManagedRecord(id: "recNFC", values: ["Name": .text(nfc)])))
        }
    }

    func testAtScaleAThousandEditsAmongTenThousandRecordsWriteWhatAFullEncodeWrites() throws {
        let base = StateSamples.populated(records: 10_000)
        try assertSplicedIsFull(base, "1% edited, some removed, some added") { state in
            for n in stride(from: 0, to: 10_000, by: 10) {
                let key = "core:skills/s\(n)/SKILL.md"
                switch n % 30 {
                case 0: state.apply(.putRecord(table: "Skills", key: key, record: StateSamples.record(n + 1)))
                case 10: state.apply(.removeRecord(table: "Skills", key: key))
                default: state.apply(.putRecord(table: "Skills", key: key + "x", record: StateSamples.record(n)))
                }
            }
        }
    }

    // MARK: What is copied, and when nothing is

    /// A file in another layout than the encoder's (spaces, key order: a hand edit) shows which records were copied:
    /// those keep its layout. Here the caller (wrongly) vouches for it.
    private func handFormatted(_ scratch: TemporaryDirectory) throws -> (StateStore, StateModel, StateFileLayout) {
        let store = StateSamples.store(in: scratch)
        // Its head is the encoder's, so a write's check of the lineage reads no further (even when it is cut short).
        let text = """
            {
              "lineage": "L", "version": 1, "target": "\(StateSamples.target)", "serial": 4, "tables": {}, "repos": {},
             "records": {"T": {"a": { "values": {"N": "A"}, "id": "recA" }, "b": {"id":"recB","values":{"N":"B"}},
                               "c": {"id": "recC",  "values": {}}}}}
            """
        _ = scratch.write(path, text)
        let (loaded, loadedLayout) = try store.loadWithLayout(expectedTarget: nil)
        var layout = try XCTUnwrap(loadedLayout)
        layout.canonical = true
        return (store, try XCTUnwrap(loaded), layout)
    }

    func testTheRecordsLeftAsLoadedAreCopiedAndTheOthersEncoded() throws {
        let scratch = TemporaryDirectory()
        var (store, state, layout) = try handFormatted(scratch)
        state.apply(.putRecord(table: "T", key: "b", record: ManagedRecord(id: "recB", values: ["N": .text("B2")])))
        try store.write(&state, keepHistory: 10, splicing: layout)
        let written = try XCTUnwrap(scratch.read(path))
        XCTAssertTrue(written.contains(#""a": { "values": {"N": "A"}, "id": "recA" }"#), written)
        XCTAssertTrue(written.contains(#""c": {"id": "recC",  "values": {}}"#), written)
        XCTAssertTrue(written.contains("\"b\": {\n        \"id\": \"recB\",\n        \"values\": {\n          \"N\": \"B2\""), written)
        XCTAssertEqual(try store.load(expectedTarget: nil), state)
    }

    func testALayoutNobodyVouchedForCopiesNothing() throws {
        let scratch = TemporaryDirectory()
        var (store, state, layout) = try handFormatted(scratch)
        layout.canonical = false
        try store.write(&state, keepHistory: 10, splicing: layout)
        XCTAssertEqual(Array(try XCTUnwrap(scratch.data(path))), StateCodec.encode(state))
    }

    func testAFileChangedSinceTheLoadIsNotCopiedFrom() throws {
        for edit in ["cut short", "one byte changed", "grown", "removed"] {
            let scratch = TemporaryDirectory()
            var (store, state, layout) = try handFormatted(scratch)
            var bytes = Array(try XCTUnwrap(scratch.data(path)))
            switch edit {
            case "cut short": bytes.removeLast(3)
            case "one byte changed": bytes[bytes.firstIndex(of: UInt8(ascii: "A"))!] = UInt8(ascii: "Z")
            case "grown": bytes += Array(" \n".utf8)
            default: bytes = []
            }
            if bytes.isEmpty { try FileManager.default.removeItem(atPath: scratch.file(path)) } else { _ = scratch.write(path, bytes) }
            let digest = try store.write(&state, keepHistory: 10, splicing: layout)
            let written = Array(try XCTUnwrap(scratch.data(path)))
            XCTAssertEqual(written, StateCodec.encode(state), edit)
            XCTAssertEqual(digest, SHA256.hex(written), edit)
            XCTAssertEqual(scratch.list("state").filter { $0.contains(".tmp-") }, [], "no temp file left: \(edit)")
        }
    }

    func testNoLayoutWhenTheJournalWasReplayedIntoTheState() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated(records: 3)
        let journal = try store.beginJournal(for: &state, keepHistory: 10)
        try journal.append([.removeRecord(table: "Skills", key: "core:skills/s1/SKILL.md")], to: &state)
        journal.close()
        let (loaded, layout) = try store.loadWithLayout(expectedTarget: StateSamples.target)
        XCTAssertEqual(loaded, state)
        XCTAssertNil(layout, "the state is not the file's bytes")
        XCTAssertNil(try store.loadWithDigest(expectedTarget: StateSamples.target).fileDigest)
        let none = try store.loadWithLayout(expectedTarget: nil)
        XCTAssertNotNil(none.state)
    }

    func testNoLayoutWithoutAFileAndTheFirstWriteEncodes() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        let (loaded, layout) = try store.loadWithLayout(expectedTarget: StateSamples.target)
        XCTAssertNil(loaded)
        XCTAssertNil(layout)
        var state = StateSamples.populated(records: 3)
        let digest = try store.write(&state, keepHistory: 10, splicing: nil)
        XCTAssertEqual(Array(try XCTUnwrap(scratch.data(path))), StateCodec.encode(state))
        XCTAssertEqual(digest, SHA256.hex(StateCodec.encode(state)))
    }

    /// Keys out of order or repeated (a hand edit) leave their table out of the layout: nothing of it is copied.
    func testATableWhoseKeysDoNotAscendIsEncoded() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        _ = scratch.write(path, """
            {"lineage": "L", "records": {"T": {"b": {"id": "recB", "values": {}}, "a": {"id": "recA", "values": {}}},
             "U": {"a": {"id": "recA", "values": {}}, "a": {"id": "recA2", "values": {}}}},
             "repos": {}, "serial": 1, "tables": {}, "target": "t", "version": 1}
            """)
        let (loaded, loadedLayout) = try store.loadWithLayout(expectedTarget: nil)
        var layout = try XCTUnwrap(loadedLayout)
        XCTAssertNil(layout.tables["T"])
        XCTAssertNil(layout.tables["U"])
        layout.canonical = true
        var state = try XCTUnwrap(loaded)
        XCTAssertEqual(state.records["U"]?["a"]?.id, "recA2")
        try store.write(&state, keepHistory: 10, splicing: layout)
        XCTAssertEqual(Array(try XCTUnwrap(scratch.data(path))), StateCodec.encode(state))
    }

    /// The write takes a table's key order from the loaded file when the file holds exactly the state's keys, strictly
    /// ascending; an added key, or an order it cannot take, falls back to sorting.
    func testTheKeyOrderIsTheFilesOnlyWhenItHoldsTheSameKeysAscending() {
        let carried = ["a", "b", "c"].map { StateFileLayout.Carried(key: $0, record: StateSamples.record(1), range: 0..<1) }
        let records = Dictionary(uniqueKeysWithValues: ["c", "a", "b"].map { ($0, StateSamples.record(1)) })
        XCTAssertEqual(StateCodec.keys(of: records, inOrderOf: carried), ["a", "b", "c"])
        XCTAssertEqual(StateCodec.keys(of: records.filter { $0.key != "b" }, inOrderOf: carried), ["a", "c"], "a key deleted")
        XCTAssertNil(StateCodec.keys(of: records.merging(["bb": StateSamples.record(2)]) { $1 }, inOrderOf: carried), "a key added")
        XCTAssertNil(StateCodec.keys(of: records.merging(["d": StateSamples.record(2)]) { $1 }.filter { $0.key != "a" }, inOrderOf: carried),
                     "as many keys, not the same")
        XCTAssertNil(StateCodec.keys(of: records, inOrderOf: carried.reversed()), "not ascending")
        XCTAssertNil(StateCodec.keys(of: records, inOrderOf: carried + [carried[2]]), "a key repeated")
        XCTAssertEqual(StateCodec.keys(of: [:], inOrderOf: []), [])
    }
}
