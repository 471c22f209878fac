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
}
