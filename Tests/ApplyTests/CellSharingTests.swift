@testable import Apply
import ReconCore
import Remote
import State
import XCTest

/// The full-path plan holds each record as desired, as the state recorded it and as read from the base: equal bytes
/// share one storage (issue 12, goal 5).
final class CellSharingTests: XCTestCase {
    private func storage(_ text: String) -> UnsafeRawPointer? {
        text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    private func storage(_ value: FieldValue?) -> UnsafeRawPointer? {
        if case .text(let text)? = value { return storage(text) }
        return nil
    }

    private static let longName = "a skill whose name is longer than fifteen bytes"

    private func applied() throws -> ApplyHarness {
        let harness = ApplyHarness()
        harness.addSkill("alpha-plugin-with-a-long-name", "one", name: Self.longName)
        harness.addSkill("alpha-plugin-with-a-long-name", "two", name: Self.longName + ", two")
        harness.repo.commit("two skills")
        try harness.planAndApply(run: "first")
        return harness
    }

    func testTheRefreshedRecordsShareTheStatesIDKeyAndValues() throws {
        let harness = try applied()
        let outcome = try harness.plan()
        XCTAssertFalse(outcome.plan.hasChanges)
        let state = try XCTUnwrap(outcome.refreshed.state)
        let skills = try XCTUnwrap(state.records["Skills"])
        let remote = try XCTUnwrap(outcome.refreshed.snapshot.records["Skills"])
        XCTAssertEqual(remote.count, 2)
        for record in remote {
            guard case .text(let key)? = record.fields["Key"], let index = skills.index(forKey: key) else { return XCTFail("\(record)") }
            let (heldKey, held) = skills[index]
            XCTAssertEqual(storage(record.id), storage(held.id))
            XCTAssertEqual(storage(key), storage(heldKey))
            XCTAssertNotNil(storage(record.fields["Name"]))
            XCTAssertEqual(storage(record.fields["Name"]), storage(held.values["Name"]))
        }
        // What a second, unshared read finds is the same.
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: remote.map { ($0.id, $0) }),
                       Dictionary(uniqueKeysWithValues: try harness.records("Skills").values.map { ($0.id, $0) }))
    }

    func testTheStateTakesTheDesiredRecordsStorageWhenTheyAreTheSameBytes() throws {
        let harness = try applied()
        var state = try XCTUnwrap(try harness.state())
        let loaded = state
        let desired = [DesiredRecord(table: "Skills", key: "core:plugins/alpha-plugin-with-a-long-name/skills/one",
                                     fields: state.records["Skills"]!["core:plugins/alpha-plugin-with-a-long-name/skills/one"]!
                                        .values.mapValues { $0 }, provenance: Provenance(repo: "core", path: "p", sourceCommit: "c")),
                       DesiredRecord(table: "Skills", key: "core:plugins/alpha-plugin-with-a-long-name/skills/two",
                                     fields: ["Name": .text(Self.longName + ", changed")], provenance: Provenance(repo: "core", path: "p", sourceCommit: "c"))]
        CellSharing.share(&state, with: desired)
        XCTAssertEqual(state, loaded)
        let one = state.records["Skills"]!["core:plugins/alpha-plugin-with-a-long-name/skills/one"]!
        XCTAssertEqual(one.values.values.withUnsafeBufferPointer { $0.baseAddress },
                       desired[0].fields.values.withUnsafeBufferPointer { $0.baseAddress })
        let two = state.records["Skills"]!["core:plugins/alpha-plugin-with-a-long-name/skills/two"]!
        XCTAssertNotEqual(storage(two.values["Name"]), storage(desired[1].fields["Name"]))
    }

    func testRecordsReadFromTheCacheTakeTheStatesStorage() throws {
        let harness = try applied()
        let state = try XCTUnwrap(try harness.state())
        let desired = DesiredExtraction(manifest: try harness.manifest(), stateDirectory: harness.project.path + "/state")
        let extraction = try desired.extract(sharingWith: state)
        XCTAssertTrue(extraction.repos.allSatisfy(\.cached))
        let buffer = { (cells: FieldCells) in cells.values.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }
        // A plugin's cells are all managed: the state's whole. A skill's protected Status is not in the state: its name.
        let plugin = try XCTUnwrap(extraction.records.first { $0.table == "Plugins" })
        XCTAssertEqual(buffer(plugin.fields), buffer(state.records["Plugins"]![plugin.key]!.values))
        let skills = extraction.records.filter { $0.table == "Skills" }
        XCTAssertEqual(skills.count, 2)
        for record in skills {
            let held = try XCTUnwrap(state.records["Skills"]?[record.key])
            XCTAssertNotNil(storage(record.fields["Name"]))
            XCTAssertEqual(storage(record.fields["Name"]), storage(held.values["Name"]))
        }
        // Without a state, the same records, each its own.
        let alone = try desired.extract()
        XCTAssertEqual(alone.records, extraction.records)
        let own = try XCTUnwrap(alone.records.first { $0.table == "Plugins" })
        XCTAssertNotEqual(buffer(own.fields), buffer(state.records["Plugins"]![own.key]!.values))
    }
}
