import ReconCore
import TestSupport
import XCTest
@testable import Plan

/// Issue 10: a long value's edit shows the changed region with context, the rest elided with a count.
final class LongValueDiffTests: XCTestCase {
    private let golden = Golden.folder() + "/Golden"
    private static let words = (1...200).map { "word\($0)" }.joined(separator: " ")

    /// Edits at the start, the middle and the end of long values, a multi-line value, pipes and HTML.
    static func longValuePlan() throws -> Plan {
        var fixture = try PlanFixture()
        let edits: [(String, String, String)] = [
            ("end", words + " | pipe <b>html</b> old end", words + " | pipe <b>html</b> new end"),
            ("start", "Old start " + words, "New start " + words),
            ("middle", words + " OLD " + words, words + " NEW " + words),
            ("lines", (1...30).map { "line \($0)" }.joined(separator: "\n"),
             (1...30).map { $0 == 15 ? "line fifteen | <i>x</i>" : $0 == 28 ? "line 28 edited" : "line \($0)" }.joined(separator: "\n")),
            ("pipes", String(repeating: "a | b <br> ", count: 20) + "</details> x", String(repeating: "a | b <br> ", count: 20) + "</details> y"),
        ]
        for (name, before, after) in edits {
            fixture.want("core:skills/\(name)", ["Name": .text(after)])
            fixture.applied("core:skills/\(name)", id: "rec\(name)", ["Name": .text(before)], remote: ["Name": .text(before)])
        }
        return try fixture.plan()
    }

    func testGoldenText() throws {
        Golden.assertMatches(PlanTextRenderer(color: false).render(try Self.longValuePlan()), file: golden + "/long-values.txt")
    }

    func testGoldenMarkdown() throws {
        Golden.assertMatches(PlanMarkdownRenderer().render(try Self.longValuePlan()), file: golden + "/long-values.md")
    }

    /// A regression: both sides were cut at 80 characters, so an edit at the end read `"…" → "…"`, the same twice.
    func testNeverTheSameTextOnBothSidesOfAnArrow() throws {
        let plan = try Self.longValuePlan()
        let text = PlanTextRenderer(color: false).render(plan)
        for line in text.split(separator: "\n") where line.contains(" → ") {
            let sides = line.components(separatedBy: " → ")
            XCTAssertEqual(sides.count, 2, String(line))
            let before = sides[0].split(separator: "\"", maxSplits: 1).last.map(String.init) ?? ""
            XCTAssertNotEqual(before, sides[1].components(separatedBy: "\" ").first.map { String($0.dropFirst()) } ?? "", String(line))
            XCTAssertFalse(sides[0].hasSuffix(sides[1]), String(line))
        }
        XCTAssertTrue(text.contains("new end"), text)
        XCTAssertTrue(text.contains("old end"), text)
        XCTAssertTrue(text.contains("unchanged characters"), text)
        let markdown = PlanMarkdownRenderer().render(plan)
        XCTAssertTrue(markdown.contains("new end") && markdown.contains("old end"), markdown)
        XCTAssertTrue(markdown.contains("NEW") && markdown.contains("OLD") && markdown.contains("New start"), markdown)
    }

    /// The cut falls between characters: a letter and its combining accent stay together.
    func testTheCutNeverSplitsACharacter() throws {
        var fixture = try PlanFixture()
        let accented = String(repeating: "e\u{301}", count: 300)
        let flags = String(repeating: "🇫🇷", count: 300)
        fixture.want("core:skills/a", ["Name": .text(accented + "x" + flags)])
        fixture.applied("core:skills/a", id: "recA", ["Name": .text(accented + "y" + flags)], remote: ["Name": .text(accented + "y" + flags)])
        let text = PlanTextRenderer(color: false).render(try fixture.plan())
        XCTAssertTrue(text.contains("unchanged characters"), text)
        for line in text.split(separator: "\n") where line.contains(" → ") {
            // Every flag is whole (regional indicators in pairs) and no accent stands without its letter.
            XCTAssertEqual(line.unicodeScalars.filter { (0x1F1E6...0x1F1FF).contains($0.value) }.count % 2, 0, String(line))
            let scalars = Array(line.unicodeScalars)
            for (index, scalar) in scalars.enumerated() where scalar == "\u{301}" {
                XCTAssertEqual(scalars[index - 1], "e", String(line))
            }
        }
    }
}
