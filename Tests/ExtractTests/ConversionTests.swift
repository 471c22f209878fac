@testable import Extract
import Manifest
import ReconCore
import TestSupport
import XCTest
import YAML

final class ConversionTests: XCTestCase {
    func testValuesConvertByFieldType() throws {
        let repo = GitFixture()
        repo.write("skills/x/SKILL.md", """
            ---
            name: no
            title: 0755
            count: "12.5"
            enabled: true
            level: high
            tags: [a, c, a]
            ---
            """)
        repo.write("data/x.json", #"{"name": "j", "title": 1.50, "count": 3, "enabled": false, "tags": "b"}"#)
        repo.commit("x")
        let result = try ExtractHarness().run("""
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - table: Skills
                    files: ["**/SKILL.md", "data/*.json"]
                    exclude: ["data/*.json"]
                    as: frontmatter
                    fields: {Name: name, Title: title, Count: count, Enabled: enabled, Level: level, Tags: tags}
                  - table: Skills
                    files: ["data/*.json"]
                    as: json
                    fields: {Name: name, Title: title, Count: count, Enabled: enabled, Tags: tags, Level: {const: low}}
            """)
        let yaml = try XCTUnwrap(result.record("core:skills/x/SKILL.md"))
        XCTAssertEqual(yaml.fields, ["Name": .text("no"), "Title": .text("0755"), "Count": .number(12.5), "Enabled": .bool(true),
                                     "Level": .text("high"), "Tags": .list(["a", "c"])])
        let json = try XCTUnwrap(result.record("core:data/x.json"))
        XCTAssertEqual(json.fields, ["Name": .text("j"), "Title": .text("1.5"), "Count": .number(3), "Tags": .list(["b"]),
                                     "Level": .text("low")], "false is no value")
    }

    /// A regression: `as: markdown` read a leading front matter block as the first paragraph.
    func testMarkdownRuleSkipsFrontMatter() throws {
        let repo = GitFixture()
        repo.write("docs/guide.md", "---\nskills: [a, b]\n---\n\n# The guide\n\nFirst paragraph.\n")
        repo.commit("guide")
        let result = try ExtractHarness().run("""
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Skills, files: ["docs/*.md"], as: markdown, fields: {Title: $title, Name: $summary}}
            """)
        let record = try XCTUnwrap(result.record("core:docs/guide.md"))
        XCTAssertEqual(record.fields["Title"], .text("The guide"))
        XCTAssertEqual(record.fields["Name"], .text("First paragraph."))
    }

    /// A regression: with Windows line endings the whole body read as one line, so the title swallowed it.
    func testMarkdownWithWindowsLineEndingsReadsLikeUnixOnes() {
        let unix = "# Guide\n\nFirst paragraph here.\n\nSecond.\n"
        let windows = unix.replacingOccurrences(of: "\n", with: "\r\n")
        let a = MarkdownSummary(Array(unix.utf8))
        let b = MarkdownSummary(Array(windows.utf8))
        XCTAssertEqual(b.title, "Guide")
        XCTAssertEqual(b.summary, "First paragraph here.")
        XCTAssertEqual(a.title, b.title)
        XCTAssertEqual(a.summary, b.summary)
        XCTAssertEqual(a.words, b.words)
    }

    func testMarkdownBuiltins() {
        let body = """
            Intro heading
            =============

            First paragraph with a [link](other.md#part) and **bold**
            text on two lines.

            ```
            [not a link](code.md) words in code
            ```

            Second paragraph: [site](https://example.com), [anchor](#x), [abs](/root.md), [again](other.md), [up](../up.md "T").
            """
        let summary = MarkdownSummary(Array(body.utf8))
        XCTAssertEqual(summary.title, "Intro heading")
        XCTAssertEqual(summary.summary, "First paragraph with a link and bold text on two lines.")
        XCTAssertEqual(summary.links, ["other.md", "../up.md"])
        XCTAssertEqual(summary.words, 2 + 11 + 8, "heading, first paragraph, second paragraph; code is not counted")
    }

    /// Link targets read on bytes (the ASCII reading) are the String reading's, on lines dense in what it reacts to.
    func testLinkTargetsOnBytesMatchTheStringReading() {
        let fragments = ["](", "]", "(", ")", "[", "`", "<", ">", " ", "\t", "#", ":", "/", "a", "b.md", "http:", "./x", "  ", "](<"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var found = 0
        for _ in 0..<20_000 {
            let line = (0..<(1 + next(24))).map { _ in fragments[next(fragments.count)] }.joined()
            let bytes = Array(line.utf8)
            let expected = MarkdownSummary.linkTargets(in: line[...])
            found += expected.count
            XCTAssertEqual(MarkdownSummary.linkTargets(ascii: bytes, 0..<bytes.count), expected, "line: \(line.debugDescription)")
        }
        XCTAssertGreaterThan(found, 1_000, "the lines hold links")
        let padded = Array("xx[a](b.md) [c](d.md)yy".utf8)
        XCTAssertEqual(MarkdownSummary.linkTargets(ascii: padded, 2..<21), ["b.md", "d.md"], "only the line's range is read")
    }

    /// The byte reading of ASCII bodies must be the Character reading exactly: thousands of generated
    /// bodies built from the fragments the reader reacts to are compared field by field.
    func testMarkdownByteReadingMatchesTheCharacterReading() {
        let fragments = ["# ", "#", "###### ", "####### ", "Title", "=", "===", "-", "---", "```", "~~~", "`", "**", " ", "  ", "\t",
                         "\n", "\n", "\n\n", "[a](b.md)", "[x](https://y.z)", "[t](#frag)", "[r](/root.md)", "[p](<p q.md>)",
                         "[s](s.md \"T\")", "](", "[", ")", "(", "1. ", "22) ", "3x", "- ", "* ", "+ ", ">", "|", "![i](i.png)",
                         "<div>", "word", "w0rd", "...", "x#", "a_b", "\u{0B}", "\u{0C}", "!", "0"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<4000 {
            let body = (0..<(1 + next(60))).map { _ in fragments[next(fragments.count)] }.joined()
            let bytes = Array(body.utf8)
            XCTAssertEqual(MarkdownSummary(ascii: bytes), MarkdownSummary(text: bytes), "body: \(body.debugDescription)")
        }
        for body in ["caf\u{E9} [l](l.md)\n", "# T\u{301}\n\ntext\n"] {
            XCTAssertEqual(MarkdownSummary(Array(body.utf8)), MarkdownSummary(text: Array(body.utf8)), "non-ASCII takes the Character reading")
        }
        // Carriage returns are made newlines before either reading.
        XCTAssertEqual(MarkdownSummary(Array("a\r\nb\r\n".utf8)), MarkdownSummary(text: Array("a\nb\n".utf8)))
    }

    func testGlobPatterns() {
        XCTAssertTrue(GlobPattern("**/SKILL.md").matches("SKILL.md"))
        XCTAssertTrue(GlobPattern("**/SKILL.md").matches("a/b/SKILL.md"))
        XCTAssertFalse(GlobPattern("*/SKILL.md").matches("a/b/SKILL.md"))
        XCTAssertTrue(GlobPattern("plugins/*/.claude-plugin/plugin.json").matches("plugins/x/.claude-plugin/plugin.json"))
        XCTAssertTrue(GlobPattern("docs/**/*.md").matches("docs/guide.md"))
        XCTAssertTrue(GlobPattern("docs/[a-c]?.md").matches("docs/b1.md"))
        XCTAssertFalse(GlobPattern("docs/[!a-c]?.md").matches("docs/b1.md"))
        XCTAssertFalse(GlobPattern("*.md").matches("docs/x.md"))
    }

    func testFrontMatterKeepsFileLineNumbers() throws {
        let parts = try FrontMatter(Array("---\na: 1\nb: 2\n---\nbody\n".utf8))
        let node = try XCTUnwrap(YAMLLoader().load(try XCTUnwrap(parts.yaml), file: "f").first)
        XCTAssertEqual(node.mapping?[1].value.location.line, 3)
        XCTAssertEqual(String(decoding: parts.body, as: UTF8.self), "body\n")
        XCTAssertNil(try FrontMatter(Array("# no front matter\n".utf8)).yaml)
    }
}
