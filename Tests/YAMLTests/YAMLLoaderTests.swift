import ReconCore
import XCTest
@testable import YAML

final class YAMLLoaderTests: XCTestCase {
    private func load(_ text: String) throws -> [Node] {
        try YAMLLoader().load(text, file: "test.yaml")
    }

    private func one(_ text: String) throws -> Node {
        let documents = try load(text)
        XCTAssertEqual(documents.count, 1)
        return try XCTUnwrap(documents.first)
    }

    private func error(_ text: String) -> YAMLError? {
        do {
            _ = try YAMLLoader().load(text, file: "test.yaml")
            return nil
        } catch {
            return error
        }
    }

    private func value(_ node: Node, _ key: String) -> Node? {
        node.mapping?.first { $0.key.scalar == key }?.value
    }

    // MARK: Structure and locations

    func testBlockMappingKeepsLineAndColumnOfEveryNode() throws {
        let root = try one("""
            name: Skills
            fields:
              - name: Key
                type: singleLineText
            """)
        XCTAssertEqual(root.location.line, 1)
        XCTAssertEqual(value(root, "name")?.scalar, "Skills")
        XCTAssertEqual(value(root, "name")?.location, SourceLocation(file: "test.yaml", line: 1, column: 7))
        let field = try XCTUnwrap(value(root, "fields")?.sequence?.first)
        XCTAssertEqual(field.location.line, 3)
        XCTAssertEqual(field.location.column, 5)
        XCTAssertEqual(value(field, "type")?.location, SourceLocation(file: "test.yaml", line: 4, column: 11))
    }

    func testFlowStyles() throws {
        let root = try one("{a: 1, b: [x, 'y z', {c: d}], e: []}")
        XCTAssertEqual(value(root, "a")?.int, 1)
        let items = try XCTUnwrap(value(root, "b")?.sequence)
        XCTAssertEqual(items.count, 3)
        XCTAssertEqual(items[1].scalar, "y z")
        XCTAssertEqual(items[1].style, .singleQuoted)
        XCTAssertEqual(value(items[2], "c")?.scalar, "d")
        XCTAssertEqual(value(root, "e")?.sequence?.count, 0)
        XCTAssertEqual(items[2].location.column, 22)
    }

    func testQuotedScalarsAndEscapes() throws {
        let root = try one(#"""
            double: "tab\there \u00e9 \"q\""
            single: 'it''s # not a comment'
            multi: "line one
              line two"
            """#)
        XCTAssertEqual(value(root, "double")?.scalar, "tab\there é \"q\"")
        XCTAssertEqual(value(root, "double")?.style, .doubleQuoted)
        XCTAssertEqual(value(root, "single")?.scalar, "it's # not a comment")
        XCTAssertEqual(value(root, "multi")?.scalar, "line one line two")
    }

    func testLiteralAndFoldedBlockScalarsWithChomping() throws {
        let root = try one("""
            literal: |
              first
                indented
              last
            folded: >
              one
              two

              para
            strip: |-
              no newline
            keep: |+
              kept

            end: x
            """)
        XCTAssertEqual(value(root, "literal")?.scalar, "first\n  indented\nlast\n")
        XCTAssertEqual(value(root, "literal")?.style, .literal)
        XCTAssertEqual(value(root, "folded")?.scalar, "one two\npara\n")
        XCTAssertEqual(value(root, "folded")?.style, .folded)
        XCTAssertEqual(value(root, "strip")?.scalar, "no newline")
        XCTAssertEqual(value(root, "keep")?.scalar, "kept\n\n")
    }

    func testMultipleDocuments() throws {
        let documents = try load("""
            a: 1
            ---
            b: 2
            ---
            # only a comment
            ...
            """)
        XCTAssertEqual(documents.count, 3)
        XCTAssertEqual(value(documents[0], "a")?.int, 1)
        XCTAssertEqual(documents[1].location.line, 3)
        XCTAssertTrue(documents[2].isNull)
    }

    func testEmptyStreamHasNoDocuments() throws {
        XCTAssertEqual(try load("").count, 0)
        XCTAssertEqual(try load("# just a comment\n").count, 0)
    }

    func testByteOrderMarkAndUnicodeColumns() throws {
        let root = try one("\u{FEFF}café: naïve\nnext: ok\n")
        XCTAssertEqual(value(root, "café")?.scalar, "naïve")
        XCTAssertEqual(value(root, "next")?.location.line, 2)
    }

    // MARK: Anchors and aliases

    func testAnchorsAliasesAndMergeKeys() throws {
        let root = try one("""
            defaults: &defaults
              type: singleLineText
              description: shared
            fields:
              - <<: *defaults
                name: Key
              - <<: *defaults
                name: Body
                type: multilineText
            again: *defaults
            """)
        let fields = try XCTUnwrap(value(root, "fields")?.sequence)
        XCTAssertEqual(value(fields[0], "type")?.scalar, "singleLineText")
        XCTAssertEqual(value(fields[0], "description")?.scalar, "shared")
        XCTAssertEqual(value(fields[1], "type")?.scalar, "multilineText", "keys written in the mapping win over merged ones")
        XCTAssertNil(fields[1].mapping?.first { $0.key.scalar == "<<" })
        let again = try XCTUnwrap(value(root, "again"))
        XCTAssertEqual(again.location.line, 10, "an alias is reported where it is used")
        XCTAssertEqual(value(again, "description")?.scalar, "shared")
    }

    func testUnknownAliasIsAnError() throws {
        let failure = try XCTUnwrap(error("a: *missing\n"))
        XCTAssertEqual(failure.location.line, 1)
        XCTAssertTrue(failure.message.contains("unknown alias '*missing'"), failure.message)
    }

    func testBillionLaughsIsRefusedQuicklyWithoutExpanding() throws {
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for index in 1..<names.count {
            let previous = names[index - 1]
            let refs = Array(repeating: "*\(previous)", count: 9).joined(separator: ",")
            text += "\(names[index]): &\(names[index]) [\(refs)]\n"
        }
        let start = Date()
        let failure = try XCTUnwrap(error(text))
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.0)
        XCTAssertTrue(failure.message.contains("aliases expand to more than"), failure.message)
        XCTAssertTrue(failure.hint?.contains("billion laughs") == true)
    }

    func testModestAliasUseStaysWithinTheLimit() throws {
        var loader = YAMLLoader()
        loader.limits.aliasExpansion = 50
        let text = "base: &b [1, 2, 3]\nuses: [*b, *b, *b]\n"
        XCTAssertNoThrow(try loader.load(text, file: "t.yaml"))
        let many = "base: &b [1, 2, 3]\nuses: [" + Array(repeating: "*b", count: 20).joined(separator: ", ") + "]\n"
        XCTAssertThrowsError(try loader.load(many, file: "t.yaml"))
    }

    // MARK: Errors

    func testDuplicateKeysAreErrorsNamingBothPlaces() throws {
        let failure = try XCTUnwrap(error("""
            name: a
            other: b
            name: c
            """))
        XCTAssertEqual(failure.location.line, 3)
        XCTAssertEqual(failure.location.column, 1)
        XCTAssertEqual(failure.message, "duplicate key 'name'")
        XCTAssertEqual(failure.hint, "first given at line 1, column 1")
    }

    func testDuplicateKeysInFlowMapping() throws {
        let failure = try XCTUnwrap(error("x: {a: 1, a: 2}\n"))
        XCTAssertEqual(failure.location.column, 11)
    }

    func testSyntaxErrorPointsAtTheProblem() throws {
        let failure = try XCTUnwrap(error("""
            tables:
              - name: A
               key: B
            """))
        XCTAssertEqual(failure.location.line, 3)
        XCTAssertFalse(failure.message.isEmpty)
    }

    func testUnclosedQuoteAndFlow() throws {
        XCTAssertNotNil(error("a: \"never closed\n"))
        let flow = try XCTUnwrap(error("a: [1, 2\nb: c\n"))
        XCTAssertGreaterThanOrEqual(flow.location.line, 2)
    }

    func testTabIndentationIsRejected() throws {
        XCTAssertNotNil(error("a:\n\tb: c\n"))
    }

    func testNestingDepthIsBounded() throws {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let failure = try XCTUnwrap(error(deep))
        XCTAssertTrue(failure.message.contains("nesting deeper than"), failure.message)
    }

    func testAliasToTheContainingNodeIsRefused() throws {
        // libyaml accepts the syntax; the composer must not loop or crash.
        let failure = error("a: &x [1, *x]\n")
        XCTAssertNotNil(failure)
    }
}
