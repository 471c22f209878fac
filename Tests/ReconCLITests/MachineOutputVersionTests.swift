import Foundation
import TestSupport
import XCTest

/// Every JSON output states its `format_version` as a number, so one check works for all of them
/// (validate and extract wrote the string "1").
final class MachineOutputVersionTests: XCTestCase {
    func testEveryJSONOutputHasANumericFormatVersion() throws {
        let project = CLIProject()
        project.skill("p0", "s0")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        for arguments in [["validate", "--format", "json"], ["extract", "--format", "json"], ["drift", "--format", "json"],
                          ["runs", "--format", "json"], ["plan", "--format", "json"]] {
            let result = try ReconProcess.run(arguments, in: project.path)
            let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                         "\(arguments): \(result.stdout.prefix(200)) \(result.stderr)")
            let version = try XCTUnwrap(document["format_version"], "\(arguments) has no format_version")
            XCTAssertTrue(version is NSNumber && !(version is String), "\(arguments): format_version is \(type(of: version)) \(version)")
            XCTAssertEqual((version as? NSNumber)?.intValue, 1, "\(arguments)")
        }
    }
}
