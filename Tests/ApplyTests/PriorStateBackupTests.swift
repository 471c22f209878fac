@testable import Apply
import Foundation
import ReconCore
import State
import TestSupport
import XCTest

/// `backup/state.json` is the state the run found: the state file's own bytes when the state is exactly that file
/// (copied, checked against the digest taken at load), else the state as loaded, journal replayed, encoded (issue 12).
final class PriorStateBackupTests: XCTestCase {
    private func appliedHarness() throws -> ApplyHarness {
        let harness = ApplyHarness()
        for index in 0..<5 { harness.addSkill("alpha", "s\(index)") }
        harness.repo.commit("five")
        try harness.planAndApply(run: "r1")
        harness.addSkill("alpha", "s5")
        harness.repo.commit("six")
        return harness
    }

    private func backup(_ harness: ApplyHarness, _ run: String) throws -> [UInt8] {
        try XCTUnwrap(AtomicFile.read(harness.project.path + "/state/runs/\(run)/backup/state.json"))
    }

    func testAStateFileReformattedByHandIsBackedUpAsItsBytes() throws {
        let harness = try appliedHarness()
        // Still a state (the same values), no longer in the canonical form Recon writes.
        let url = URL(fileURLWithPath: harness.statePath)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        let reformatted = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try reformatted.write(to: url)
        let prior = try XCTUnwrap(StateStore(path: harness.statePath).load(expectedTarget: nil))

        try harness.planAndApply(run: "r2")
        let kept = try backup(harness, "r2")
        XCTAssertEqual(kept, Array(reformatted), "the file as the run found it, not an encoding of it")
        XCTAssertEqual(try StateStore(path: harness.project.path + "/state/runs/r2/backup/state.json").load(expectedTarget: nil), prior)
    }

    func testAJournalLineLeftByAKilledRunIsInTheBackup() throws {
        let harness = try appliedHarness()
        let store = StateStore(path: harness.statePath)
        var state = try XCTUnwrap(store.load(expectedTarget: nil))
        let snapshot = try XCTUnwrap(AtomicFile.read(harness.statePath))
        // What a run killed after one batch leaves: a journal line beyond the snapshot.
        let journal = try store.beginJournal(for: &state, keepHistory: 10)
        try journal.append([.putRepo(name: "elsewhere", repo: RepoState(commit: "feedface"))], to: &state)
        journal.close()

        try harness.planAndApply(run: "r2")
        let kept = try backup(harness, "r2")
        XCTAssertNotEqual(kept, snapshot, "the file lags the state: the backup is the state as loaded")
        let restored = try XCTUnwrap(StateStore(path: harness.project.path + "/state/runs/r2/backup/state.json").load(expectedTarget: nil))
        XCTAssertEqual(restored, state)
        XCTAssertEqual(restored.repos["elsewhere"]?.commit, "feedface")
    }

    /// A lean load's state (fix/lean) holds most records without their values: its backup is the file or nothing.
    func testALeanStateIsBackedUpAsTheFileAndNeverEncoded() throws {
        let scratch = TemporaryDirectory()
        let store = StateStore(path: scratch.file("state/recon.state.json"))
        var state = StateStore.newState(target: "t")
        state.records["T"] = ["a": ManagedRecord(id: "recA", values: ["N": .text("Alpha")]),
                              "b": ManagedRecord(id: "recB", values: ["N": .text("Beta")])]
        let digest = try XCTUnwrap(try store.write(&state, keepHistory: 10, splicing: nil))
        let lean = try XCTUnwrap(try store.loadLean(expectedTarget: nil, digest: digest).state)
        XCTAssertTrue(lean.isPartial)
        let prior = PriorState(state: lean, store: store, fileDigest: digest)
        try prior.write(to: scratch.file("backup/state.json"))
        XCTAssertEqual(scratch.data("backup/state.json"), scratch.data("state/recon.state.json"))

        let edited = try XCTUnwrap(scratch.read("state/recon.state.json")).replacingOccurrences(of: "Alpha", with: "Omega")
        scratch.write("state/recon.state.json", edited)
        XCTAssertThrowsError(try prior.write(to: scratch.file("backup/again.json"))) { error in
            XCTAssertTrue("\(error)".contains("changed while this run held the lock"), "\(error)")
        }
        XCTAssertFalse(scratch.exists("backup/again.json"), "nothing encoded from values the state does not hold")
    }
}
