import Foundation
import ReconCore
import TestSupport
import XCTest

/// Issue 10 through the real binary: a long value's edit is visible, and the Markdown plan is a comment a
/// workflow can find and update.
final class ReviewableDiffCommandTests: XCTestCase {
    private let words = (1...120).map { "word\($0)" }.joined(separator: " ")

    /// A regression: an edit at the end of a long value read `"word1 … word12 word…" → "word1 … word12 word…"`.
    func testAnEditAtTheEndOfALongValueIsShown() throws {
        let project = CLIProject()
        project.skill("alpha", "one", title: words + " | pipe <b>html</b> old end")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        project.skill("alpha", "one", title: words + " | pipe <b>html</b> new end")
        project.repo.commit("edit the end")

        let text = try project.recon("plan", "-out", "plan.json")
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains(#"Name: … 836 unchanged characters … "word119 word120 | pipe <b>html</b> old end" → "word119 word120 | pipe <b>html</b> new end""#), text.stdout)

        let markdown = try project.recon("show", "plan.json", "--format", "markdown")
        XCTAssertEqual(markdown.status, 0, markdown.stderr)
        let lines = markdown.stdout.components(separatedBy: "\n")
        XCTAssertEqual(lines.first, "<!-- recon-plan target=sqlite:state/catalog.sqlite -->")
        XCTAssertTrue(lines[1].hasPrefix("### Recon plan: 0 to add, 1 to change"), markdown.stdout)
        let saved = try JSONParser.parse(Array(try XCTUnwrap(project.directory.read("plan.json")).utf8))
        let digest = try XCTUnwrap(saved["digest"]?.stringValue)
        XCTAssertTrue(markdown.stdout.contains("plan `\(digest)`"), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains(#""word119 word120 \| pipe &lt;b>html&lt;/b> old end" → "word119 word120 \| pipe &lt;b>html&lt;/b> new end""#), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains("<details><summary><b>Skills</b>: 0 to add, 1 to change"), markdown.stdout)
    }
}
