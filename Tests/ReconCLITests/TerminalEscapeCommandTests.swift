import Apply
import Foundation
import TestSupport
import XCTest

/// Names and values from input never reach a terminal or Markdown raw, through the real binary:
/// terminal escapes and bidi controls (which reorder what a reviewer reads) are shown as `\u{XX}`.
final class TerminalEscapeCommandTests: XCTestCase {
    /// Control characters other than the newline, and the bidi/format controls, found raw in `text`.
    private func hidden(_ text: String) -> [UInt32] {
        text.unicodeScalars.filter { scalar in
            scalar != "\n" && (scalar.properties.generalCategory == .control
                || [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069].contains(scalar.value))
        }.map(\.value)
    }

    /// A regression: the extract text view printed a title `T\e[2J\e]0;pwn\a` raw, and bidi controls passed
    /// through every view (a right-to-left override can make `evil.md` read as `dm.live`).
    func testExtractPlanAndDriftShowEscapesAndBidiControlsEscaped() throws {
        let project = CLIProject()
        project.repo.write("plugins/al\u{202E}pha/plugin.json", #"{"name": "T\u001b[2J\u001b]0;pwn\u0007 \u202Eevil\u2066x\u200F"}"#)
        project.repo.commit("a hostile plugin")

        let extract = try project.recon("extract")
        XCTAssertEqual(extract.status, 0, extract.stderr)
        XCTAssertEqual(hidden(extract.stdout), [], extract.stdout)
        XCTAssertTrue(extract.stdout.contains(#"T\u{1B}[2J\u{1B}]0;pwn\u{07} \u{202E}evil\u{2066}x\u{200F}"#), extract.stdout)
        XCTAssertTrue(extract.stdout.contains(#"al\u{202E}pha"#), "the key too: \(extract.stdout)")
        let json = try project.recon("extract", "--format", "json")
        XCTAssertTrue(json.stdout.contains("\u{202E}evil\u{2066}x\u{200F}"), "JSON stays exact")

        for format in ["text", "markdown"] {
            let plan = try project.recon("plan", "--format", format)
            XCTAssertEqual(plan.status, 0, plan.stderr)
            XCTAssertEqual(hidden(plan.stdout), [], "\(format): \(plan.stdout)")
            XCTAssertTrue(plan.stdout.contains(#"\u{202E}evil"#), plan.stdout)
        }
        let planJSON = try project.recon("plan", "--format", "json")
        XCTAssertTrue(planJSON.stdout.contains("\u{202E}evil"), "JSON stays exact")

        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        _ = project.sql("UPDATE Plugins SET Name = 'now \u{202E}changed\u{1B}[1A'")
        for format in ["text", "markdown"] {
            let drift = try project.recon("drift", "--format", format)
            XCTAssertEqual(hidden(drift.stdout), [], "\(format): \(drift.stdout)")
            XCTAssertTrue(drift.stdout.contains(#"now \u{202E}changed\u{1B}[1A"#), drift.stdout)
        }
    }

    /// A regression: the mismatch error of `force-unlock` printed the lease's id, owner and host and the
    /// argument as they were, newlines and escapes included.
    func testForceUnlockMessagesShowTheLeaseAndTheArgumentEscaped() throws {
        let temp = TemporaryDirectory()
        let now = Date()
        let lease = LeaseInfo(id: "id\u{1B}[2J\u{202E}", owner: "mallory\u{1B}]0;pwn\u{07}", pid: 1, host: "h\nerror: fake",
                              operation: "apply\u{202E}", created: now, expires: now.addingTimeInterval(600))
        _ = temp.write("state/.lock", String(decoding: lease.encoded(), as: UTF8.self))
        let wrong = try ReconProcess.run(["force-unlock", "not\nerror: it\u{1B}[1A"], in: temp.path)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertEqual(hidden(wrong.stderr), [], wrong.stderr)
        XCTAssertEqual(wrong.stderr.filter { $0 == "\n" }.count, 2, "one message line and one hint line: \(wrong.stderr)")
        XCTAssertTrue(wrong.stderr.hasPrefix(#"error: lease id 'not\u{0A}error: it\u{1B}[1A' does not match"#), wrong.stderr)

        let right = try ReconProcess.run(["force-unlock", lease.id], in: temp.path)
        XCTAssertEqual(right.status, 0, right.stderr)
        XCTAssertEqual(hidden(right.stdout + right.stderr), [], right.stdout + right.stderr)
        XCTAssertTrue(right.stdout.contains(#"mallory\u{1B}]0;pwn\u{07}"#), right.stdout)
    }
}
