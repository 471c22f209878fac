import ReconCore
import Remote
import State
import TestSupport
import XCTest
@testable import Plan

final class PlanFileTests: XCTestCase {
    /// A plan with every kind of item, shared by the golden files.
    static func samplePlan() throws -> Plan {
        var fixture = try PlanFixture()
        let index = fixture.remote.schema.tables[1].fields.firstIndex { $0.name == "Score" }!
        fixture.remote.schema.tables[1].fields[index].type = "singleLineText"
        fixture.remote.schema.tables[1].description = "Skills, old words"
        fixture.want("core:plugins/p", ["Name": .text("Plugin P")], in: "Plugins")
        fixture.want("core:skills/new", ["Name": .text("New skill"), "Plugin": .list(["core:plugins/p"]), "Status": .text("Draft"), "Notes": .text("a | b\nc")])
        fixture.want("core:skills/changed", ["Name": .text("After")])
        fixture.applied("core:skills/changed", id: "recChanged", ["Name": .text("Before")], remote: ["Name": .text("Before")])
        fixture.want("core:skills/drifted", ["Name": .text("Kept"), "Ready": .bool(true)])
        fixture.applied("core:skills/drifted", id: "recDrift", ["Name": .text("Kept"), "Ready": .bool(true)],
                        remote: ["Name": .text("Edited by hand"), "Ready": .bool(true), "Status": .text("Published")])
        fixture.want("core:skills/conflict", ["Name": .text("Ours")])
        fixture.applied("core:skills/conflict", id: "recConflict", ["Name": .text("Old")], remote: ["Name": .text("Theirs")])
        fixture.want("core:skills/lost", ["Name": .text("Lost")])
        fixture.applied("core:skills/lost", id: "recLost", ["Name": .text("Lost")], remote: nil)
        fixture.applied("core:skills/gone", id: "recGone", ["Name": .text("Gone")], remote: ["Name": .text("Gone")])
        fixture.want("core:skills/blocked", ["Score": .number(4.5)])
        fixture.applied("core:skills/blocked", id: "recBlocked", ["Score": .number(1)], remote: ["Score": .number(1)])
        fixture.inBase(id: "recHuman", key: "hand made", ["Name": .text("H")])
        // Identity: a table renamed in the base, a field the manifests dropped, a key edited by hand.
        fixture.remote.schema.tables[0].name = "Plugin list"
        fixture.state.tables["Skills"]!.fields["Legacy"] = "fldL"
        fixture.remote.schema.tables[1].fields.append(RemoteField(id: "fldL", name: "Legacy", type: "singleLineText"))
        fixture.want("core:skills/rekeyed", ["Name": .text("R")])
        fixture.state.records["Skills"]!["core:skills/rekeyed"] = ManagedRecord(id: "recRekeyed", values: ["Name": .text("R")])
        fixture.inBase(id: "recRekeyed", key: "rekeyed by hand", ["Name": .text("R")])
        var plan = try fixture.plan()
        // A table made outside Recon that fits (the planner's side is covered by AdoptTableCommandTests).
        plan.schemaChanges.append(.adoptTable(name: "Reviews", keyField: "Key", fields: [
            FieldDefinition(name: "Key", type: .singleLineText), FieldDefinition(name: "Score", type: .number, precision: 1)]))
        return plan
    }

    private let golden = Golden.folder() + "/Golden"

    func testGoldenJSON() throws {
        Golden.assertMatches(String(decoding: PlanFile.encode(try Self.samplePlan()), as: UTF8.self), file: golden + "/plan.json")
    }

    func testGoldenText() throws {
        Golden.assertMatches(PlanTextRenderer(color: false).render(try Self.samplePlan()), file: golden + "/plan.txt")
    }

    func testGoldenMarkdown() throws {
        Golden.assertMatches(PlanMarkdownRenderer().render(try Self.samplePlan()), file: golden + "/plan.md")
    }

    func testNoChangesReadsQuietly() throws {
        let plan = try PlanFixture().plan()
        XCTAssertEqual(PlanTextRenderer(color: false).render(plan), "No changes. The base matches the manifests.\n")
    }

    func testColourOnlyWhenAsked() throws {
        let plan = try Self.samplePlan()
        XCTAssertFalse(PlanTextRenderer(color: false).render(plan).contains("\u{1B}["))
        XCTAssertTrue(PlanTextRenderer(color: true).render(plan).contains("\u{1B}[32m+\u{1B}[0m"))
    }

    func testRoundTripAndStreamedBytesAreCanonical() throws {
        let plan = try Self.samplePlan()
        let bytes = PlanFile.encode(plan)
        XCTAssertEqual(try PlanFile.decode(bytes), plan)
        let parsed = try JSONParser.parse(bytes)
        XCTAssertEqual(parsed.canonicalBytes(pretty: true), bytes, "the streamed file is exactly the canonical form")
        XCTAssertEqual(parsed["digest"]?.stringValue, PlanFile.digest(of: plan))
    }

    /// The digest the writer records (hashed as it streams) is the one a strict read takes from the bytes, and the
    /// bytes parse back to the plan, for strings of every length with escapes anywhere (the writer scans eight bytes at
    /// a time); a saved plan vouched for by its receipt trusts the writer's digest, so it must never differ.
    func testTheWrittenDigestIsTheStrictReadsForHostileStrings() throws {
        let specials = ["\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "\u{7F}", "é", "漢", "🦊", "\u{301}", "\u{FEFF}", "\u{2028}", "/"]
        var generator = SystemRandomNumberGenerator()
        var fixture = try PlanFixture()
        for index in 0..<300 {
            let length = index % 23
            var text = Array(String(repeating: "a", count: length))
            for _ in 0..<(index % 4) {
                text.insert(contentsOf: specials.randomElement(using: &generator)!, at: Int.random(in: 0...text.count, using: &generator))
            }
            fixture.want("core:skills/\(index)-" + String(text), ["Name": .text(String(text)), "Notes": .text(String(text.reversed()))])
        }
        let plan = try fixture.plan()
        let (bytes, digest) = PlanFile.encoded(plan)
        let verified = try PlanFile.verify(bytes)
        XCTAssertEqual(verified.digest, digest)
        XCTAssertEqual(verified.plan, plan)
        XCTAssertEqual(try JSONParser.parse(bytes).canonicalBytes(pretty: true), bytes, "the file is canonical JSON")
    }

    func testEditedPlanIsRefused() throws {
        let text = String(decoding: PlanFile.encode(try Self.samplePlan()), as: UTF8.self)
        let edited = text.replacingOccurrences(of: "\"After\"", with: "\"Sneaky\"")
        XCTAssertNotEqual(edited, text)
        XCTAssertThrowsError(try PlanFile.decode(Array(edited.utf8))) { error in
            XCTAssertTrue((error as? ReconError)?.message.contains("modified after it was made") == true, "\(error)")
        }
    }

    func testReformattedPlanIsStillValid() throws {
        let plan = try Self.samplePlan()
        let compact = try JSONParser.parse(PlanFile.encode(plan)).canonicalBytes(pretty: false)
        XCTAssertEqual(try PlanFile.decode(compact), plan)
    }

    func testNewerFormatAndGarbageAreRefused() {
        XCTAssertThrowsError(try PlanFile.decode(Array(#"{"format_version": 99, "plan": {}, "digest": "x"}"#.utf8))) { error in
            XCTAssertTrue((error as? ReconError)?.message.contains("newer than this recon reads") == true)
        }
        XCTAssertThrowsError(try PlanFile.decode(Array("not json".utf8)))
        XCTAssertThrowsError(try PlanFile.decode(Array("{}".utf8)))
    }

    func testLargePlansAreTruncatedInMarkdown() throws {
        var fixture = try PlanFixture()
        for index in 0..<120 { fixture.want("core:skills/\(index)", ["Name": .text("n\(index)")]) }
        let markdown = PlanMarkdownRenderer(rowsPerTable: 50).render(try fixture.plan())
        XCTAssertTrue(markdown.hasPrefix("<!-- recon-plan target=sqlite:state/catalog.sqlite -->\n### Recon plan: 120 to add, 0 to change, 0 to delete"))
        XCTAssertTrue(markdown.contains("_… 70 more changes in Skills not shown (see the plan file)._"))
        XCTAssertEqual(markdown.components(separatedBy: "\n| + |").count - 1, 50)
    }
}
