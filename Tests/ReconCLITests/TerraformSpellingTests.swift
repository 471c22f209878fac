import Foundation
import TestSupport
import XCTest

/// Terraform's single-dash spellings that users type from habit: the ones Recon shares work, the others
/// are refused naming Recon's own spelling, and nothing is written.
final class TerraformSpellingTests: XCTestCase {
    func testSharedSpellingsWorkWithOneDash() throws {
        let project = CLIProject()
        project.skill("p0", "s0")
        project.repo.commit("one")
        let plan = try project.recon("plan", "-detailed-exitcode", "-out=plan.json")
        XCTAssertEqual(plan.status, 2, plan.stderr)
        let apply = try project.recon("apply", "-lock-timeout=1s", "plan.json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
    }

    func testOtherSpellingsAreRefusedWithReconsOwn() throws {
        let project = CLIProject()
        project.skill("p0", "s0")
        project.repo.commit("one")
        let cases: [([String], String)] = [
            (["plan", "-json"], "--format json"),
            (["show", "plan.json", "-json"], "--format json"),
            (["apply", "-input=false"], "--auto-approve"),
            (["plan", "-var", "x=1"], "no variables"),
            (["plan", "-var-file=prod.tfvars"], "no variables"),
            (["apply", "-lock=false"], "always takes the lock"),
            (["plan", "-refresh=false"], "never plans without reading what changed"),
            (["rollback", "x", "-refresh=false"], "plan, apply and drift do"),
        ]
        for (arguments, expected) in cases {
            let result = try ReconProcess.run(arguments, in: project.path)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
            XCTAssertFalse(project.directory.exists("state/recon.state.json"), "\(arguments) wrote the state")
        }
    }

    /// `-target=…` (one dash, with `=`) limits plan and apply as `--target` does, and is kept in the saved plan.
    func testTargetWithOneDashAndEqualsLimitsThePlan() throws {
        let project = CLIProject()
        project.skill("p0", "s0")
        project.repo.commit("one")
        let plan = try project.recon("plan", "-target=Skills", "-out=plan.json", "-detailed-exitcode")
        XCTAssertEqual(plan.status, 2, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("Targeted plan: Skills only"), plan.stdout)
        let saved = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: project.directory.url("plan.json"))) as? [String: Any])
        let scope = try XCTUnwrap((saved["plan"] as? [String: Any])?["scope"] as? [String: Any])
        XCTAssertEqual(scope["targets"] as? [String], ["Skills"])
        let apply = try project.recon("apply", "-target=Plugins/core:plugins/p0", "-auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertTrue(apply.stdout.contains("Targeted plan"), apply.stdout)
    }

    /// A regression: `plan -lock-timeout=5m` and `drift -target=Skills`, typed from Terraform habit on commands that
    /// take no lock or no target, got only "see --help"; they now say where the flag belongs.
    func testLockTimeoutAndTargetOnCommandsWithoutThemNameWhereTheyBelong() throws {
        let project = CLIProject()
        project.skill("p0", "s0")
        project.repo.commit("one")
        let cases: [([String], [String])] = [
            (["plan", "-lock-timeout=5m"], ["takes no lock", "'--lock-timeout DURATION' is for apply and prune"]),
            (["rollback", "20261123T041500Z-3fa2c1", "-lock-timeout=5m"], ["takes no lock", "apply and prune"]),
            (["drift", "-target=Skills"], ["'--target TABLE[/KEY]' limits plan and apply"]),
            (["rollback", "20261123T041500Z-3fa2c1", "-target=Skills"], ["limits plan and apply"]),
        ]
        for (arguments, expected) in cases {
            let result = try ReconProcess.run(arguments, in: project.path)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stdout)")
            for text in expected { XCTAssertTrue(result.stderr.contains(text), "\(arguments): \(result.stderr)") }
            XCTAssertFalse(project.directory.exists("state/recon.state.json"), "\(arguments) wrote the state")
        }
    }
}
