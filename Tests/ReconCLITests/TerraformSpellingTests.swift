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
        ]
        for (arguments, expected) in cases {
            let result = try ReconProcess.run(arguments, in: project.path)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
            XCTAssertFalse(project.directory.exists("state/recon.state.json"), "\(arguments) wrote the state")
        }
    }
}
