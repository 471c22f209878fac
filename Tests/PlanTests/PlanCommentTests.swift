import Foundation
import ReconCore
import TestSupport
import XCTest
@testable import Plan

/// Issue 10: the Markdown plan is a PR comment a workflow can update in place, complete and under GitHub's limit.
final class PlanCommentTests: XCTestCase {
    private static func bigPlan(skills: Int, plugins: Int = 0) throws -> Plan {
        var fixture = try PlanFixture()
        let long = String(repeating: "a fairly long name ", count: 10)
        for index in 0..<skills { fixture.want("core:skills/\(index)", ["Name": .text(long + "\(index)")]) }
        for index in 0..<plugins { fixture.want("core:plugins/\(index)", ["Name": .text("p\(index)")], in: "Plugins") }
        return try fixture.plan()
    }

    /// A regression: a 20,000-change plan passed GitHub's 65,536-character limit once one table's section was long.
    func testTwentyThousandChangesStayUnderTheLimitWithCounts() throws {
        let plan = try Self.bigPlan(skills: 20_000, plugins: 30)
        let markdown = PlanMarkdownRenderer().render(plan)
        XCTAssertLessThan(markdown.unicodeScalars.count, 65_536)
        XCTAssertLessThan(markdown.utf16.count, 65_536)
        XCTAssertTrue(markdown.contains("… 19,950 more changes in Skills not shown (see the plan file)"), String(markdown.suffix(2000)))

        // With no cap per table, the size budget cuts: the rows shown and the count cut add up to the table.
        let uncapped = PlanMarkdownRenderer(rowsPerTable: .max).render(plan)
        XCTAssertLessThan(uncapped.unicodeScalars.count, 65_536)
        XCTAssertLessThan(uncapped.utf16.count, 65_536)
        let shown = uncapped.components(separatedBy: "\n| + | `core:skills/").count - 1
        let match = try XCTUnwrap(uncapped.range(of: #"… [0-9,]+ more changes in Skills not shown"#, options: .regularExpression), String(uncapped.suffix(2000)))
        let cut = Int(uncapped[match].dropFirst(2).split(separator: " ")[0].replacingOccurrences(of: ",", with: ""))!
        XCTAssertGreaterThan(shown, 0)
        XCTAssertEqual(shown + cut, 20_000)
    }

    func testTheCommentStartsWithAHiddenMarkerThenTheSummaryTargetAndDigest() throws {
        let plan = try Self.bigPlan(skills: 2)
        let markdown = PlanMarkdownRenderer().render(plan)
        let lines = markdown.components(separatedBy: "\n")
        XCTAssertEqual(lines[0], "<!-- recon-plan target=sqlite:state/catalog.sqlite -->")
        XCTAssertTrue(lines[1].hasPrefix("### Recon plan: 2 to add, 0 to change, 0 to delete"), markdown)
        XCTAssertTrue(markdown.contains("Target `sqlite:state/catalog.sqlite`"), markdown)
        XCTAssertTrue(markdown.contains("plan `\(PlanFile.digest(of: plan))`"), markdown)
        XCTAssertTrue(markdown.contains("<details><summary><b>Skills</b>: 2 to add"), markdown)
    }

    /// A target that holds `-->` must not end the hidden line and put the rest into the visible comment.
    func testAHostileTargetCannotCloseTheHiddenLine() throws {
        var plan = try Self.bigPlan(skills: 1)
        plan.target = "sqlite:x --> <img src=x onerror=alert(1)>\n# Approved -- really"
        let first = try XCTUnwrap(PlanMarkdownRenderer().render(plan).components(separatedBy: "\n").first)
        XCTAssertTrue(first.hasPrefix("<!-- recon-plan target=sqlite:x"), first)
        XCTAssertTrue(first.hasSuffix(" -->"), first)
        let inner = first.dropFirst("<!-- recon-plan target=".count).dropLast(" -->".count)
        XCTAssertFalse(inner.contains("--") || inner.contains(">") || inner.contains("<") || inner.contains(" "), first)
        XCTAssertEqual(try XCTUnwrap(inner.removingPercentEncoding), plan.target)
    }

    /// Thousands of tables and notes: the comment still stays under the limit, and every change is shown or counted.
    func testManyTablesAndNotesStayUnderTheLimit() throws {
        var plan = Plan(target: "sqlite:big.sqlite", manifestDigest: "d", lineage: "l", serial: 1)
        let long = String(repeating: "x", count: 60)
        for table in 0..<3_000 {
            for key in 0..<20 {
                plan.recordChanges.append(RecordChange(table: "Table\(table)", key: "k\(key)", remoteID: nil, action: .create, reason: .new,
                                                       fields: [FieldChange(name: "Name", kind: .set, before: nil, after: .text(long))]))
            }
        }
        plan.integrityErrors = (0..<2_000).map { IntegrityError(table: "Table0", key: "dup\($0)", recordIDs: ["recA\($0)", "recB\($0)"]) }
        let markdown = PlanMarkdownRenderer().render(plan)
        XCTAssertLessThan(markdown.unicodeScalars.count, 65_536)
        XCTAssertTrue(markdown.contains("more notes not shown (see the plan file)"), String(markdown.suffix(500)))
        let shown = markdown.components(separatedBy: "\n| + | `k").count - 1
        var counted = 0
        for pattern in [#"… ([0-9,]+) (more )?changes? in Table"#, #"more tables? with ([0-9,]+) changes"#] {
            let regex = try NSRegularExpression(pattern: pattern)
            for match in regex.matches(in: markdown, range: NSRange(markdown.startIndex..., in: markdown)) {
                counted += Int(String(markdown[Range(match.range(at: 1), in: markdown)!]).replacingOccurrences(of: ",", with: ""))!
            }
        }
        XCTAssertEqual(shown + counted, 60_000)
    }
}
