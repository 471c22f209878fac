import Foundation
import TestSupport
import XCTest

/// `recon apply` without a plan file reads the manifests once, except that a `pre_plan` hook may write them.
final class ApplyManifestReadTests: XCTestCase {
    /// The hook breaks a manifest: apply plans from what it wrote (and refuses it), as `recon plan` does.
    func testAPrePlanHookThatWritesTheManifestsIsSeenByTheApply() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        project.script("generate.sh", "printf 'tables: [\\n' > manifests/zz-generated.yaml")
        project.hooks("hooks:\n  pre_plan: [{run: [./scripts/generate.sh]}]\n")

        let applied = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(applied.status, 1, applied.stdout)
        XCTAssertTrue(applied.stderr.contains("zz-generated.yaml"), applied.stderr)
        XCTAssertFalse(project.directory.exists("state/recon.state.json"), "nothing applied")
    }
}
