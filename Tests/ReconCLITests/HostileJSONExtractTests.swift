import Foundation
import TestSupport
import XCTest

/// A hostile JSON source through the real `recon extract` on a real git repo: refused with
/// repo:path:line:column, never a trap (a lone surrogate once killed the process with SIGILL).
final class HostileJSONExtractTests: XCTestCase {
    private func project(json: String, onError: String? = nil) -> CLIProject {
        let project = CLIProject()
        project.skill("good", "s")
        project.repo.write("plugins/bad/plugin.json", json)
        project.repo.commit("hostile")
        if let onError {
            let path = project.path + "/manifests/schema.yaml"
            let text = try! String(contentsOfFile: path, encoding: .utf8)
            try! text.replacingOccurrences(of: "root: ., fields: {Name: name}}", with: "root: ., on_error: \(onError), fields: {Name: name}}")
                .write(toFile: path, atomically: true, encoding: .utf8)
        }
        return project
    }

    func testLoneSurrogateFailsWithRepoPathAndLocation() throws {
        let project = project(json: "{\n  \"name\": \"x\\uD800\\u0041y\"\n}\n")
        let result = try project.recon("extract")
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("core:plugins/bad/plugin.json:2:13: error: invalid JSON: high surrogate \\uD800 followed by \\u0041, not a low surrogate"),
                      result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/state/cache"), "nothing was written")
    }

    func testLoneSurrogateIsSkippedWithAWarningWhenTheRuleSaysSkip() throws {
        let project = project(json: "{\"name\": \"\\uDC00\"}", onError: "skip")
        let result = try project.recon("extract")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("core:plugins/bad/plugin.json:1:11: warning:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("lone low surrogate \\uDC00"), result.stderr)
        XCTAssertTrue(result.stdout.contains("core:plugins/good"), result.stdout)
        XCTAssertFalse(result.stdout.contains("core:plugins/bad"), result.stdout)
    }

    func testInvalidUTF8AndHugeNumbersFailWithLocation() throws {
        let utf8 = CLIProject()
        utf8.repo.write("plugins/bad/plugin.json", bytes: Array("{\"name\": \"a".utf8) + [0xC0, 0xAF] + Array("\"}".utf8))
        utf8.repo.commit("bad bytes")
        let result = try utf8.recon("extract")
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("core:plugins/bad/plugin.json:1:12: error: invalid JSON: invalid UTF-8 in string"), result.stderr)

        let number = project(json: "{\"name\": \"n\", \"n\": 1e999}")
        let second = try number.recon("extract")
        XCTAssertEqual(second.status, 1, second.stderr)
        XCTAssertTrue(second.stderr.contains("core:plugins/bad/plugin.json:1:20: error: invalid JSON: number out of range"), second.stderr)
    }
}
