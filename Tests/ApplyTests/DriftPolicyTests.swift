import Apply
import Plan
import ReconCore
import XCTest

/// `policy.drift: adopt` and `report` do what docs/manifest.md says, across any number of later plans.
final class DriftPolicyTests: XCTestCase {
    private let one = "core:plugins/alpha/skills/one"

    private func harness(policy: String) throws -> ApplyHarness {
        let harness = ApplyHarness()
        harness.project.write("manifests/policy.yaml", "policy: {drift: \(policy)}\n")
        harness.addSkill("alpha", "one")
        harness.addSkill("alpha", "two")
        harness.repo.commit("first")
        try harness.planAndApply(run: "r1")
        return harness
    }

    /// A person edits a managed cell in the base, as in the UI.
    private func edit(_ harness: ApplyHarness, name: String) throws {
        let base = harness.provider()
        let table = try XCTUnwrap(try base.inspectSchema().table(named: "Skills"))
        let record = try XCTUnwrap(try harness.records("Skills")[one])
        _ = try base.update([.init(id: record.id, fields: ["Name": .text(name)])], in: table)
    }

    private func drift(_ harness: ApplyHarness) throws -> DriftReport? {
        try DriftRunner(manifestDirectory: harness.project.path + "/manifests", statePath: harness.statePath, environment: [:]).run()
    }

    func testAnAdoptedValueStaysAcrossPlansUntilTheManifestsChangeIt() throws {
        let harness = try harness(policy: "adopt")
        try edit(harness, name: "Curated")
        let first = try harness.plan().plan
        XCTAssertEqual(first.change(one)?.fields.map(\.kind), [.driftAdopted])
        XCTAssertEqual(try PlanFile.decode(PlanFile.encode(first)), first, "a saved plan carries the adoption")
        try harness.apply(first, run: "r2")

        for round in 0..<3 {
            let plan = try harness.plan().plan
            XCTAssertEqual(plan.recordChanges, [], "plan \(round) after the adoption leaves the person's value alone")
            XCTAssertFalse(plan.hasChanges)
            if !plan.recordChanges.isEmpty { try harness.apply(plan, run: "again\(round)") }
            XCTAssertEqual(try drift(harness)?.isEmpty, true)
        }
        // A later edit in the base is drift again, and adopted again.
        try edit(harness, name: "Curated again")
        XCTAssertEqual(try drift(harness)?.records.map(\.key), [one])
        let again = try harness.plan().plan
        XCTAssertEqual(again.change(one)?.fields.map(\.kind), [.driftAdopted])
        try harness.apply(again, run: "r2b")
        XCTAssertEqual(try harness.plan().plan.recordChanges, [])

        // Another record changing in the manifests does not disturb the adoption.
        harness.addSkill("alpha", "two", name: "Two renamed")
        harness.repo.commit("second")
        let other = try harness.plan().plan
        XCTAssertEqual(other.recordChanges.map(\.key), ["core:plugins/alpha/skills/two"])
        try harness.apply(other, run: "r3")
        XCTAssertEqual(try harness.records("Skills")[one]?.fields["Name"], .text("Curated again"))

        // A new manifest value for the field is a change in the manifests again: it is written.
        harness.addSkill("alpha", "one", name: "One renamed")
        harness.repo.commit("third")
        let changed = try harness.plan().plan
        XCTAssertEqual(changed.change(one)?.fields, [FieldChange(name: "Name", kind: .update, before: .text("Curated again"), after: .text("One renamed"))])
        try harness.apply(changed, run: "r4")
        XCTAssertEqual(try harness.records("Skills")[one]?.fields["Name"], .text("One renamed"))
        XCTAssertEqual(try harness.plan().plan.recordChanges, [])
    }

    func testReportedDriftKeepsTheStateAndSaysSo() throws {
        let harness = try harness(policy: "report")
        try edit(harness, name: "Curated")
        let plan = try harness.plan().plan
        let text = PlanTextRenderer(color: false).render(plan)
        XCTAssertFalse(text.contains("state catches up"), text)
        XCTAssertTrue(text.contains("reported only"), text)
        try harness.apply(plan, run: "r2")
        XCTAssertEqual(try harness.state()?.records["Skills"]?[one]?.values["Name"], .text("one"), "report changes nothing, the state included")
        XCTAssertEqual(try harness.records("Skills")[one]?.fields["Name"], .text("Curated"))
        XCTAssertEqual(try harness.plan().plan.change(one)?.fields.map(\.kind), [.driftReported], "the drift stays visible")
        XCTAssertEqual(try drift(harness)?.records.map(\.key), [one])
    }
}

private extension Plan {
    func change(_ key: String) -> RecordChange? { recordChanges.first { $0.key == key } }
}
