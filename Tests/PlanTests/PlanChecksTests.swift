import Manifest
import ReconCore
import Remote
import State
import XCTest
@testable import Plan

/// Each check just under and just over its threshold, through the planner (which runs them on every plan).
final class PlanChecksTests: XCTestCase {
    private let repo = "repos:\n  - {name: core, path: ../core, extract: [{table: Skills, files: ['*.md'], as: markdown, fields: {Name: $title}}]}\n"

    /// `managed` records applied; the first `kept` still desired, the rest deleted by the plan.
    private func fixture(managed: Int, kept: Int, extra: String = "") throws -> PlanFixture {
        var fixture = try PlanFixture(extra: extra)
        for index in 0..<managed {
            let key = "core:skills/s\(index)"
            fixture.applied(key, id: "rec\(index)", ["Name": .text("S\(index)")], remote: ["Name": .text("S\(index)")])
            if index < kept { fixture.want(key, ["Name": .text("S\(index)")]) }
        }
        return fixture
    }

    private func codes(_ plan: Plan) -> [CheckCode] { plan.findings.map(\.code) }

    func testRC101DeletingMoreThanTenPercentIsAnErrorAtTheThreshold() throws {
        XCTAssertEqual(codes(try fixture(managed: 20, kept: 18).plan()), [], "2 of 20 is 10%: not more")
        let over = try fixture(managed: 20, kept: 17).plan()
        XCTAssertEqual(over.findings, [CheckFinding(
            code: .RC101, level: .error, table: "Skills", count: 3, total: 20,
            message: "RC101 the plan deletes 3 of the 20 managed records of table 'Skills' (15%, more than the 10% allowed)")])
        XCTAssertEqual(over.findings.first?.allow, "allow with --allow RC101, or set checks.RC101.max_percent")
    }

    func testRC101FollowsItsConfiguredLimitAndLevel() throws {
        XCTAssertEqual(codes(try fixture(managed: 20, kept: 16, extra: "checks: {RC101: {max_percent: 20}}").plan()), [])
        XCTAssertEqual(codes(try fixture(managed: 20, kept: 15, extra: "checks: {RC101: {max_percent: 20}}").plan()), [.RC101])
        let warned = try fixture(managed: 20, kept: 10, extra: "checks: {RC101: {level: warning}}").plan()
        XCTAssertEqual(warned.findings.map(\.level), [.warning])
        XCTAssertEqual(warned.findings.blocking(allowing: []), [])
        XCTAssertEqual(codes(try fixture(managed: 20, kept: 0, extra: "checks: {RC101: {level: off}}").plan()), [])
    }

    func testRC102ARepoThatYieldsNothingWhileTheStateHoldsItsRecords() throws {
        let broken = try fixture(managed: 3, kept: 0, extra: repo + "checks: {RC101: {level: off}}").plan()
        XCTAssertEqual(broken.findings, [CheckFinding(
            code: .RC102, level: .error, table: "Skills", repo: "core", count: 3, total: 3,
            message: "RC102 repo 'core' yields no records, but the state holds 3 records of table 'Skills' from it; "
                + "the plan would remove 3 (check the repo's ref, path and globs)")])
        XCTAssertEqual(codes(try fixture(managed: 3, kept: 1, extra: repo + "checks: {RC101: {level: off}}").plan()), [],
                       "one record still comes from the repo")
        XCTAssertEqual(codes(try fixture(managed: 0, kept: 0, extra: repo).plan()), [], "nothing in the state from it")
    }

    func testRC103ADriftRestoreIsAWarningAndReportedDriftIsNot() throws {
        var fixture = try PlanFixture()
        fixture.want("core:skills/a", ["Name": .text("A")])
        fixture.applied("core:skills/a", id: "rec1", ["Name": .text("A")], remote: ["Name": .text("by hand")])
        let restored = try fixture.plan()
        XCTAssertEqual(restored.findings.map(\.code), [.RC103])
        XCTAssertEqual(restored.findings.first?.level, .warning)
        XCTAssertEqual(restored.findings.first?.message, "RC103 apply overwrites 1 value changed in the base in 1 record of table 'Skills'")
        fixture.manifest.policy.drift = .report
        XCTAssertEqual(codes(try fixture.plan()), [])
    }

    func testRC104AndRC105AFieldTypeChangedInTheBase() throws {
        var fixture = try PlanFixture()
        fixture.want("core:skills/a", ["Name": .text("A"), "Score": .number(2)])
        fixture.applied("core:skills/a", id: "rec1", ["Name": .text("A"), "Score": .number(2)], remote: ["Name": .text("A"), "Score": .number(2)])
        XCTAssertEqual(codes(try fixture.plan()), [], "the same type: nothing")
        var table = fixture.remote.schema.tables[1]
        table.fields[2] = RemoteField(id: "fldS", name: "Score", type: "singleLineText")
        fixture.remote.schema.tables[1] = table
        let plan = try fixture.plan()
        XCTAssertEqual(plan.findings.map(\.code), [.RC104, .RC105])
        XCTAssertEqual(plan.findings.map(\.level), [.warning, .error])
        XCTAssertEqual(plan.findings.last?.message, "RC105 1 field of table 'Skills' (Score) would change type or lose select choices; "
            + "1 managed record holds values there")
    }

    func testRC105ASelectFieldThatLosesAChoice() throws {
        let fixture = try PlanFixture()
        var plan = Plan(target: "sqlite:x", manifestDigest: "", lineage: "", serial: 0)
        plan.schemaChanges = [.updateField(FieldUpdate(table: "Skills", fieldID: "fldT", field: "Status",
                                                       choices: Change(["Draft", "Published"], ["Draft", "Published", "Old"])))]
        let context = { CheckContext(plan: plan, manifest: fixture.manifest, state: fixture.state, desired: []) }
        XCTAssertEqual(PlanChecks.run(context()).map(\.code), [], "adding a choice loses nothing")
        plan.schemaChanges = [.updateField(FieldUpdate(table: "Skills", fieldID: "fldT", field: "Status",
                                                       choices: Change(["Draft", "Published"], ["Draft"])))]
        XCTAssertEqual(PlanChecks.run(context()).map(\.code), [.RC105])
    }

    func testRC106IsOffByDefaultAndCountsWritesOverItsLimit() throws {
        func plan(creates: Int, extra: String) throws -> Plan {
            var fixture = try PlanFixture(extra: extra)
            for index in 0..<creates { fixture.want("core:skills/n\(index)", ["Name": .text("N")]) }
            return try fixture.plan()
        }
        XCTAssertEqual(codes(try plan(creates: 5, extra: "")), [])
        let on = "checks: {RC106: {level: error, max_records: 3}}"
        XCTAssertEqual(codes(try plan(creates: 3, extra: on)), [])
        let over = try plan(creates: 4, extra: on)
        XCTAssertEqual(over.findings.map(\.code), [.RC106])
        XCTAssertEqual(over.findings.first?.message, "RC106 the plan writes 4 records of table 'Skills', more than the 3 allowed")
        XCTAssertEqual(over.findings.first?.allow, "allow with --allow RC106, or set checks.RC106.max_records")
    }

    func testFindingsRoundTripThePlanFileAndAreReadStrictly() throws {
        let plan = try fixture(managed: 3, kept: 0, extra: repo).plan()
        XCTAssertEqual(plan.findings.map(\.code), [.RC101, .RC102])
        let bytes = PlanFile.encode(plan)
        XCTAssertEqual(try PlanFile.decode(bytes).findings, plan.findings)

        for (from, to) in [("\"code\": \"RC101\"", "\"code\": \"RC199\""), ("\"level\": \"error\"", "\"level\": \"off\""),
                           ("\"code\": \"RC101\"", "\"code\": \"RC101\", \"extra\": 1"), ("\"count\": 3", "\"count\": \"3\"")] {
            let edited = try resealed(bytes, replacing: from, with: to)
            XCTAssertThrowsError(try PlanFile.decode(edited), to) { error in
                XCTAssertTrue("\(error)".contains("the plan file is damaged"), "\(error)")
            }
        }
    }

    /// The file with one edit and its digest recomputed, as someone editing it on purpose would.
    private func resealed(_ bytes: [UInt8], replacing from: String, with to: String) throws -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains(from), from)
        let document = try JSONParser.parse(Array(text.replacingOccurrences(of: from, with: to).utf8))
        let body = try XCTUnwrap(document["plan"])
        let digest = "sha256:" + SHA256.hex(body.canonicalBytes())
        return Array(JSONValue.object(["digest": .string(digest), "format_version": 1, "plan": body]).canonicalBytes())
    }
}
