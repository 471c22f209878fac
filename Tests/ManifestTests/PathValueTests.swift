import Foundation
import ReconCore
import TestSupport
import XCTest
@testable import Manifest

/// Manifest values that become paths are refused at their line and column when they could name
/// a folder instead of a file, leave the folder they belong in, or smuggle control characters.
final class PathValueTests: XCTestCase {
    func testDatabasePathsThatNameNoFileAreRefusedWithTheirLocation() throws {
        for bad in ["state/", ".", "..", "state/..", "state/.", "a\\u0001b"] {
            let text = "target: {provider: sqlite, database: \"\(bad)\"}\n"
            XCTAssertThrowsError(try ManifestLoader().load(sources: [("target.yaml", Array(text.utf8))]), bad) { error in
                let diagnostic = (error as? DiagnosticsError)?.errors.first
                XCTAssertEqual(diagnostic?.location?.line, 1, "\(bad): \(String(describing: diagnostic))")
                XCTAssertEqual(diagnostic?.location?.column, 38, "\(bad): \(String(describing: diagnostic))")
                XCTAssertTrue(diagnostic?.message.contains("invalid database path") == true, "\(bad): \(String(describing: diagnostic))")
            }
        }
    }

    func testOrdinaryNamesAndPathsStillLoad() throws {
        let text = """
            target: {provider: sqlite, database: ../shared/catalog.v2.sqlite}
            tables: [{name: T, key: K, fields: [{name: K, type: singleLineText}]}]
            repos:
              - {name: core.v2_x-1, path: ../core/, extract: []}
              - {name: a..b, url: "file:///tmp/x", extract: []}
            """
        let manifest = try ManifestLoader().load(sources: [("m.yaml", Array(text.utf8))])
        XCTAssertEqual(manifest.repos.map(\.name), ["core.v2_x-1", "a..b"])
    }

    /// A `/` before a combining mark still separates, so "../\u{338}x" climbs out like "../x" does.
    func testFilePatternsAndRootsAreSplitAsBytes() throws {
        for (pattern, root) in [("../\u{338}x/*.md", "."), ("**/*.md", "/\u{338}etc")] {
            let text = """
                tables: [{name: T, key: K, fields: [{name: K, type: singleLineText}, {name: N, type: singleLineText}]}]
                repos:
                  - {name: core, path: ../core, extract: [{table: T, files: ["\(pattern)"], as: frontmatter, root: "\(root)", fields: {N: name}}]}
                """
            XCTAssertThrowsError(try ManifestLoader().load(sources: [("m.yaml", Array(text.utf8))]), pattern) { error in
                let messages = (error as? DiagnosticsError)?.errors.map(\.message) ?? ["\(error)"]
                XCTAssertTrue(messages.contains { $0.contains("leaves the repo") || $0.contains("must be relative") }, "\(messages)")
            }
        }
    }
}
