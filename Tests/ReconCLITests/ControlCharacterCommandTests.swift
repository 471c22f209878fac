import Foundation
import TestSupport
import XCTest

/// A value holding NUL and other control characters, through the real binary: stored whole,
/// so the next plan finds nothing to do instead of "changing" it on every run.
final class ControlCharacterCommandTests: XCTestCase {
    func testAValueWithNULAndControlCharactersAppliesOnceThenPlansNoChanges() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.write("plugins/alpha/plugin.json", #"{"name": "a\u0000b\u0001c"}"#)
        project.repo.commit("a plugin name with control characters")

        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(project.sql("SELECT hex(CAST(Name AS BLOB)) FROM Plugins"), ["6100620163"],
                       "the cell holds a, NUL, b, U+0001, c")

        let again = try project.recon("plan", "-detailed-exitcode")
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        XCTAssertEqual(again.stdout, "No changes. The base matches the manifests.\n")
    }

    /// A terminal escape in a value could rewrite the plan a reviewer reads (erase a line, hide a
    /// change); plans show control characters as escapes instead.
    func testControlCharactersInValuesAreShownEscapedInPlans() throws {
        let project = CLIProject()
        project.repo.write("plugins/alpha/plugin.json", #"{"name": "ok\u001b[2K\rhidden\u0000\t\u0085end"}"#)
        project.repo.commit("a plugin name with a terminal escape")

        for format in ["text", "markdown", "json"] {
            let plan = try project.recon("plan", "--format", format)
            XCTAssertEqual(plan.status, 0, plan.stderr)
            // JSON escapes C0 as the format requires and keeps the rest as data (the plan file's canonical bytes).
            let controls = plan.stdout.unicodeScalars.filter {
                $0.properties.generalCategory == .control && $0 != "\n" && (format != "json" || $0.value < 0x20)
            }
            XCTAssertEqual(controls.map(\.value), [], "\(format): no raw control character reaches the output")
            if format != "json" {
                XCTAssertTrue(plan.stdout.contains(#""ok\u{1B}[2K\rhidden\u{00}\t\u{85}end""#), plan.stdout)
            }
        }
    }
}
