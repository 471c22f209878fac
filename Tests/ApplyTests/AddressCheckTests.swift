import Apply
import Foundation
import Plan
import ReconCore
import State
import TestSupport
import XCTest

/// Apply checks what it addresses: a state entry pointing at another record never makes apply write or
/// delete that record.
final class AddressCheckTests: XCTestCase {
    private let one = "core:plugins/alpha/skills/one"
    private let two = "core:plugins/alpha/skills/two"
    private let three = "core:plugins/alpha/skills/three"

    /// Points the state's entry of `key` at the record of `other`.
    private func misdirect(_ harness: ApplyHarness, key: String, to other: String) throws {
        let store = StateStore(path: harness.statePath)
        var state = try XCTUnwrap(try store.load(expectedTarget: nil))
        state.records["Skills"]![key]!.id = state.records["Skills"]![other]!.id
        try store.write(&state, keepHistory: 10)
    }

    private func assertRefused(_ harness: ApplyHarness, _ run: () throws -> Void, naming key: String, found: String) throws {
        XCTAssertThrowsError(try run()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("Skills \(key)"), text)
            XCTAssertTrue(text.contains("holds the key \(found)"), text)
            XCTAssertTrue(text.contains("Nothing was written"), text)
        }
    }

    func testAnUpdateAddressedToAnotherRecordIsRefused() throws {
        let harness = try ApplyHarness.withThreeSkillsApplied()
        try misdirect(harness, key: one, to: two)
        harness.addSkill("alpha", "one", name: "One v2")
        harness.repo.commit("rename one")
        let before = try harness.records("Skills")
        let serial = try harness.state()?.serial

        let plan = try harness.plan().plan
        try assertRefused(harness, { try harness.apply(plan, run: "second") }, naming: one, found: two)
        XCTAssertEqual(try harness.records("Skills"), before, "neither record is written")
        XCTAssertEqual(try harness.state()?.serial, serial)
    }

    func testAnUpdateAddressedToAnotherRecordIsRefusedWhenPlannedInTheSameRun() throws {
        let harness = try ApplyHarness.withThreeSkillsApplied()
        try misdirect(harness, key: one, to: two)
        harness.addSkill("alpha", "one", name: "One v2")
        harness.repo.commit("rename one")
        let before = try harness.records("Skills")

        let outcome = try harness.plan()
        let applier = Applier(plan: outcome.plan, manifest: outcome.manifest, provider: harness.provider(),
                              store: StateStore(path: harness.statePath), keepHistory: 10)
        try assertRefused(harness, { _ = try applier.check(refreshed: outcome.refreshed) }, naming: one, found: two)
        XCTAssertEqual(try harness.records("Skills"), before)
    }

    func testADeleteAddressedToAnotherRecordIsRefused() throws {
        let harness = try ApplyHarness.withThreeSkillsApplied()
        try misdirect(harness, key: three, to: two)
        harness.repo.remove("plugins/alpha/skills/three")
        harness.repo.commit("remove three")
        let before = try harness.records("Skills")

        let plan = try harness.plan().plan
        XCTAssertEqual(plan.recordChanges.filter { $0.action == .delete }.map(\.key), [three])
        try assertRefused(harness, { try harness.apply(plan, run: "second") }, naming: three, found: two)
        XCTAssertEqual(try harness.records("Skills"), before, "the record of \(two) is not deleted")
    }
}
