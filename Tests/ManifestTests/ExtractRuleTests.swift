import Foundation
import Manifest
import ReconCore
import TestSupport
import XCTest

final class ExtractRuleTests: XCTestCase {
    func testBodyBuiltinOnJSONRuleIsAnErrorAtItsLine() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "body-builtin-on-json", withExtension: "yaml", subdirectory: "Fixtures"))
        let bytes = [UInt8](try Data(contentsOf: url))
        XCTAssertThrowsError(try ManifestLoader().load(sources: [("repos.yaml", bytes)])) { error in
            let errors = (error as! DiagnosticsError).errors
            XCTAssertEqual(errors.map { $0.location?.line }, FixtureMarker.errorLines(in: String(decoding: bytes, as: UTF8.self)))
            XCTAssertTrue(errors[0].message.contains("$title"), errors[0].message)
        }
    }

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
