import Foundation
import Manifest
import ReconCore
import TestSupport
import XCTest

final class ExtractRuleTests: XCTestCase {
    func testRootIsNilUnlessGiven() throws {
        let yaml = """
            tables:
              - {name: Docs, key: Key, fields: [{name: Key, type: singleLineText}, {name: Title, type: singleLineText}]}
            repos:
              - name: core
                path: .
                extract:
                  - {table: Docs, files: ["*.md"], as: markdown, fields: {Title: $title}}
                  - {table: Docs, files: ["**/README.md"], as: markdown, root: ., fields: {Title: $title}}
            """
        let manifest = try ManifestLoader().load(sources: [("m.yaml", Array(yaml.utf8))])
        XCTAssertEqual(manifest.repos[0].extract.map(\.root), [nil, "."])
    }
}
