import ReconCore
import XCTest
@testable import Manifest

/// `checks:` in the manifests: levels and thresholds per code, defaults for the rest.
final class CheckPolicyTests: XCTestCase {
    func testCodesNotNamedKeepTheirDefaults() throws {
        let manifest = try ManifestLoader().load(sources: [("m.yaml", Array("checks:\n  RC101: {level: warning, max_percent: 25}\n  RC106: {level: error, max_records: 500}\n".utf8))])
        XCTAssertEqual(manifest.checks.rule(.RC101), CheckRule(level: .warning, maxPercent: 25))
        XCTAssertEqual(manifest.checks.rule(.RC106), CheckRule(level: .error, maxRecords: 500))
        XCTAssertEqual(manifest.checks.rule(.RC102), CheckRule(level: .error))
        XCTAssertEqual(manifest.checks.rule(.RC103).level, .warning)
        XCTAssertEqual(try ManifestLoader().load(sources: [("m.yaml", Array("tables: []\n".utf8))]).checks, .default)
    }

    func testTheDocumentedDefaults() {
        XCTAssertEqual(CheckCode.allCases.map(\.rawValue), ["RC101", "RC102", "RC103", "RC104", "RC105", "RC106"])
        XCTAssertEqual(CheckCode.allCases.map(\.defaultRule.level), [.error, .error, .warning, .warning, .error, .off])
        XCTAssertEqual(CheckCode.RC101.defaultRule.maxPercent, 10)
    }

    func testChecksGivenTwiceIsAnErrorNamingTheFirst() {
        XCTAssertThrowsError(try ManifestLoader().load(sources: [("a.yaml", Array("checks: {}\n".utf8)), ("b.yaml", Array("checks: {}\n".utf8))])) { error in
            XCTAssertTrue("\(error)".contains("'checks' is given more than once"), "\(error)")
        }
    }
}
