import Foundation
import ReconCore
import TestSupport
import XCTest
import YAML

final class YAMLLoaderTests: XCTestCase {
    func testSyntaxErrorPointsAtTheMarkedLine() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "unclosed-flow", withExtension: "yaml", subdirectory: "Fixtures"))
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertThrowsError(try YAMLLoader().load(text, file: "unclosed-flow.yaml")) { error in
            let failure = error as! YAMLError
            XCTAssertEqual([failure.location.line], FixtureMarker.errorLines(in: text))
            XCTAssertEqual(failure.location.file, "unclosed-flow.yaml")
        }
    }

    func testScalarsKeepTheirSpellingAndLocations() throws {
        let node = try XCTUnwrap(YAMLLoader().load("a: no\nb: 0755\n", file: "f.yaml").first)
        let pairs = try XCTUnwrap(node.mapping)
        XCTAssertEqual(pairs.map { $0.value.scalar }, ["no", "0755"])
        XCTAssertEqual(pairs[1].value.location, SourceLocation(file: "f.yaml", line: 2, column: 4))
        XCTAssertNil(pairs[0].value.bool, "YAML 1.2: 'no' is text, not a boolean")
    }
}
