import Foundation
import ReconCore
@testable import State
import TestSupport
import XCTest

final class StateFileTests: XCTestCase {
    func testAWrittenStateReadsBackEqual() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        try store.write(&state, keepHistory: 10)
        let read = try store.load(expectedTarget: StateSamples.target)

        XCTAssertEqual(read, state)
        XCTAssertEqual(read?.records["Skills"]?["core:skills/s1/SKILL.md"]?.hash, StateSamples.record(1).hash)
    }

    func testTheFileIsCanonicalPrettyJSONWithSortedKeys() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated(records: 1)
        state.lineage = "5c0ffee0-0000-4000-8000-000000000000"
        try store.write(&state, keepHistory: 10)
        let text = String(decoding: scratch.data("state/recon.state.json")!, as: UTF8.self)

        XCTAssertEqual(text, """
            {
              "lineage": "5c0ffee0-0000-4000-8000-000000000000",
              "records": {
                "Plugins": {
                  "core:plugins/p0": {
                    "id": "recP",
                    "values": {
                      "Name": "P"
                    }
                  }
                },
                "Skills": {
                  "core:skills/s0/SKILL.md": {
                    "id": "rec00000000000000",
                    "values": {
                      "Name": "Skill 0 \\"quoted\\"\\nline",
                      "Plugin": [
                        "core:plugins/p0"
                      ],
                      "Reviewed": true,
                      "Stars": 0.25,
                      "Tags": [
                        "cli",
                        "ai"
                      ]
                    }
                  }
                }
              },
              "repos": {
                "core": {
                  "commit": "0123456789abcdef0123456789abcdef01234567"
                }
              },
              "serial": 1,
              "tables": {
                "Plugins": {
                  "fields": {
                    "Key": "fldPKEY000000000"
                  },
                  "id": "tblPLUGINS000000"
                },
                "Skills": {
                  "fields": {
                    "Key": "fldKEY0000000000",
                    "Name": "fldNAME000000000"
                  },
                  "id": "tblSKILLS0000000"
                }
              },
              "target": "sqlite:state/catalog.sqlite",
              "version": 1
            }

            """)
        XCTAssertEqual(StateCodec.encode(try StateCodec.decode(Array(text.utf8))), Array(text.utf8))
    }

    func testANewStateStartsAtSerialZeroAndEveryWriteAddsOneKeepingTheLineage() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = try store.loadOrCreate(target: StateSamples.target)
        let lineage = state.lineage

        XCTAssertEqual(state.serial, 0)
        XCTAssertNotNil(UUID(uuidString: lineage))
        for expected in 1...3 {
            try store.write(&state, keepHistory: 10)
            XCTAssertEqual(state.serial, expected)
            let read = try store.load(expectedTarget: StateSamples.target)!
            XCTAssertEqual(read.serial, expected)
            XCTAssertEqual(read.lineage, lineage)
        }
        XCTAssertNotEqual(StateStore.newState(target: "x").lineage, lineage)
    }

    func testAnAtomicWriteLeavesNoTemporaryFiles() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        try store.write(&state, keepHistory: 10)
        try store.write(&state, keepHistory: 10)

        XCTAssertEqual(scratch.list("state"), ["history", "recon.state.json"])
        XCTAssertEqual(scratch.list("state/history").count, 2)
        XCTAssertFalse(scratch.list("state/history").contains { $0.hasPrefix(".") })
    }

    func testNoStateFileLoadsAsNil() throws {
        let scratch = TemporaryDirectory()

        XCTAssertNil(try StateSamples.store(in: scratch).load(expectedTarget: StateSamples.target))
        XCTAssertEqual(scratch.list(), [])
    }

    func testTheDefaultPathsSitTogetherUnderState() {
        let store = StateStore()

        XCTAssertEqual(store.path, "state/recon.state.json")
        XCTAssertEqual(store.journalPath, "state/recon.state.journal")
        XCTAssertEqual(store.history.directory, "state/history")
    }

    func testHistoryIsPrunedToKeepLastAndNeverLosesTheNewest() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        for _ in 1...5 { try store.write(&state, keepHistory: 3) }

        XCTAssertEqual(store.history.entries().map(\.serial), [3, 4, 5])
        let newest = store.history.entries().last!
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: newest.path)), scratch.data("state/recon.state.json"))
        XCTAssertTrue(newest.path.hasSuffix(".json") && newest.path.contains("/history/recon.state.00000005."))
        try store.history.prune(keepLast: 0)
        XCTAssertEqual(store.history.entries().map(\.serial), [5])
    }

    func testEveryFieldValueKindSurvivesTheCodec() throws {
        var state = StateModel(lineage: "l", target: "t")
        let values: [String: FieldValue] = [
            "text": .text("ünïcödé \u{1F600} \\ \" \u{0001}"), "integer": .number(42), "fraction": .number(-0.1),
            "large": .number(1e300), "flag": .bool(true), "list": .list(["a", "", "c"]),
        ]
        state.records["T"] = ["k": ManagedRecord(id: "rec1", values: values)]
        let decoded = try StateCodec.decode(StateCodec.encode(state))

        XCTAssertEqual(decoded.records["T"]?["k"]?.values.dictionary, values)
        XCTAssertEqual(decoded, state)
    }

    func testAHandEditedFileInAnotherKeyOrderReadsAndMayBeReplaced() throws {
        let scratch = TemporaryDirectory()
        scratch.write("""
            {"version":1,"target":"t","serial":4,"extra":{"ignored":[1,{"a":null}]},"repos":{},
             "tables":{"T":{"id":"tbl1","fields":{"Key":"fld1"}}},
             "records":{"T":{"k\\u00e9":{"values":{"Cleared":null,"Note":"a\\nb \\"q\\" \\u00e9","List":[]},"id":"rec1"}}},
             "lineage":"hand"}
            """, to: "state/recon.state.json")
        let store = StateSamples.store(in: scratch)
        var state = try XCTUnwrap(try store.load(expectedTarget: "t"))

        XCTAssertEqual(state.serial, 4)
        XCTAssertEqual(state.tables["T"], TableState(id: "tbl1", fields: ["Key": "fld1"]))
        XCTAssertEqual(state.records["T"]?["k\u{e9}"]?.values, ["Note": .text("a\nb \"q\" \u{e9}")])
        try store.write(&state, keepHistory: 5)
        XCTAssertEqual(try store.load(expectedTarget: "t"), state)
    }
    func testALoadKeepingSomeValuesReadsEveryRecordsIDAndOnlyThoseValues() throws {
        let scratch = TemporaryDirectory()
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        state.records["Skills"]?["core:skills/s2/SKILL.md"]?.adopted = ["Name": .text("declared")]
        try store.write(&state, keepHistory: 10)
        let read = try XCTUnwrap(try store.load(expectedTarget: nil, valuesOf: ["Skills": ["core:skills/s1/SKILL.md"]]))

        XCTAssertEqual(read.records["Skills"]?["core:skills/s1/SKILL.md"], state.records["Skills"]?["core:skills/s1/SKILL.md"])
        XCTAssertEqual(read.records["Skills"]?["core:skills/s2/SKILL.md"], ManagedRecord(id: StateSamples.record(2).id, values: [:]))
        XCTAssertEqual(read.records["Plugins"]?["core:plugins/p0"], ManagedRecord(id: "recP", values: [:]))
        XCTAssertEqual(read.records.mapValues { $0.mapValues(\.id) }, state.records.mapValues { $0.mapValues(\.id) })
        XCTAssertEqual(read.tables, state.tables)
        XCTAssertEqual(read.serial, state.serial)
    }

    func testValuesLeftOutOfALoadAreCheckedAsStrictlyAsAFullLoadChecksThem() throws {
        let scratch = TemporaryDirectory()
        scratch.write("""
            {"version":1,"target":"t","serial":1,"lineage":"l","repos":{},"tables":{},
             "records":{"T":{"kept":{"id":"rec1","values":{"A":"a"}},"other":{"id":"rec2","values":{"A":{"nested":1}}}}}}
            """, to: "state/recon.state.json")
        let store = StateSamples.store(in: scratch)

        for kept in [nil, ["T": Set(["kept"])]] {
            XCTAssertThrowsError(try store.load(expectedTarget: "t", valuesOf: kept)) { error in
                XCTAssertTrue("\(error)".contains("is corrupt or truncated"), "\(error)")
            }
        }
    }
}
