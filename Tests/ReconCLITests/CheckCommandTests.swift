import Foundation
import ReconCore
import TestSupport
import XCTest

/// Checks through the real binary: a repo whose glob breaks is an RC102 error that apply refuses, writing nothing.
final class CheckCommandTests: XCTestCase {
    /// Ten skills from `core`, one from a second repo `extra` (1 of 11 is under RC101's 10%).
    private func project() throws -> (CLIProject, GitFixture) {
        let project = CLIProject()
        for index in 0..<10 { project.skill("alpha", "s\(index)") }
        project.repo.commit("ten")
        let extra = GitFixture("extra")
        extra.write("notes/one/SKILL.md", "---\nname: one\n---\nBody.\n")
        extra.commit("one")
        project.directory.write("manifests/extra.yaml", extraManifest(extra, glob: "notes/*/SKILL.md"))
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        return (project, extra)
    }

    private func extraManifest(_ extra: GitFixture, glob: String) -> String {
        """
        repos:
          - name: extra
            path: \(extra.path)
            extract:
              - {table: Skills, files: ["\(glob)"], as: frontmatter, fields: {Name: name}}
        """
    }

    private func snapshot(_ project: CLIProject) -> [String: Data?] {
        ["base": project.directory.data("state/catalog.sqlite"), "state": project.directory.data("state/recon.state.json"),
         "runs": Data(project.directory.list("state/runs").sorted().joined(separator: "\n").utf8)]
    }

    func testABrokenGlobIsRC102AndApplyRefusesWritingNothingUntilAllowed() throws {
        let (project, extra) = try project()
        project.directory.write("manifests/extra.yaml", extraManifest(extra, glob: "note/*/SKILL.md"))

        let plan = try project.recon("plan", "-out", "plan.json")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("error RC102 repo 'extra' yields no records, but the state holds 1 record of table 'Skills' from it"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("allow with --allow RC102, or set checks.RC102.level: warning"), plan.stdout)
        XCTAssertFalse(plan.stdout.contains("RC101"), plan.stdout)
        let markdown = try project.recon("show", "plan.json", "--format", "markdown")
        XCTAssertTrue(markdown.stdout.contains("- ⛔ error RC102 repo 'extra' yields no records"), markdown.stdout)
        XCTAssertTrue(try XCTUnwrap(project.directory.read("plan.json")).contains("\"code\": \"RC102\""))

        let before = snapshot(project)
        for arguments in [["apply", "--auto-approve"], ["apply", "plan.json"], ["apply", "plan.json", "--allow", "RC101"]] {
            let refused = try ReconProcess.run(arguments, in: project.path)
            XCTAssertEqual(refused.status, 1, "\(arguments): \(refused.stdout)")
            XCTAssertTrue(refused.stderr.contains("refusing to apply: the plan has 1 error finding from its checks"), refused.stderr)
            XCTAssertTrue(refused.stderr.contains("--allow RC102"), refused.stderr)
            XCTAssertEqual(snapshot(project), before, "\(arguments): the base, the state and the runs are as they were")
        }
        XCTAssertFalse(project.directory.exists("state/.lock"))

        let allowed = try project.recon("apply", "plan.json", "--allow", "RC102")
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills"), ["10"])
    }

    func testASavedPlanWithItsFindingsRemovedIsRefused() throws {
        let (project, extra) = try project()
        project.directory.write("manifests/extra.yaml", extraManifest(extra, glob: "note/*/SKILL.md"))
        XCTAssertEqual(try project.recon("plan", "-out", "plan.json").status, 0)
        try SavedPlanFixture.tamper(project) { $0["findings"] = nil }
        let before = snapshot(project)
        let refused = try project.recon("apply", "plan.json")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("the plan's check findings are not those the checks find now (1 now, 0 in the plan)"), refused.stderr)
        XCTAssertEqual(snapshot(project), before)
    }

    func testCheckExitsZeroForNoFindingsTwoForWarningsOneForErrors() throws {
        let (project, extra) = try project()
        XCTAssertEqual(try project.recon("plan", "-out", "clean.json").status, 0)
        let clean = try project.recon("check", "clean.json")
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertTrue(clean.stdout.contains("No findings"), clean.stdout)

        _ = project.sql("UPDATE Skills SET Name = 'by hand' WHERE Key = 'core:plugins/alpha/skills/s1'")
        XCTAssertEqual(try project.recon("plan", "-out", "drift.json").status, 0)
        let warned = try project.recon("check", "drift.json")
        XCTAssertEqual(warned.status, 2, warned.stdout + warned.stderr)
        XCTAssertTrue(warned.stdout.contains("warning RC103 apply overwrites 1 value changed in the base in 1 record of table 'Skills'"), warned.stdout)

        project.directory.write("manifests/extra.yaml", extraManifest(extra, glob: "note/*/SKILL.md"))
        XCTAssertEqual(try project.recon("plan", "-out", "broken.json").status, 0)
        let failed = try project.recon("check", "broken.json", "--format", "json")
        XCTAssertEqual(failed.status, 1, failed.stderr)
        XCTAssertTrue(failed.stdout.hasSuffix("}\n"), "one final newline, like every JSON output: \(failed.stdout.suffix(8).debugDescription)")
        let report = try JSONParser.parse(Array(failed.stdout.utf8))
        XCTAssertEqual(report["format_version"]?.intValue, 1)
        XCTAssertEqual(report["exit_code"]?.intValue, 1)
        XCTAssertEqual(report["errors"]?.intValue, 1)
        XCTAssertEqual(report["warnings"]?.intValue, 1)
        let codes = report["findings"]?.arrayValue?.compactMap { $0["code"]?.stringValue }
        XCTAssertEqual(codes, ["RC102", "RC103"])
        let rc102 = try XCTUnwrap(report["findings"]?.arrayValue?.first)
        XCTAssertEqual(rc102["repo"]?.stringValue, "extra")
        XCTAssertEqual(rc102["total"]?.intValue, 1)
        XCTAssertEqual(rc102["allow"]?.stringValue, "allow with --allow RC102, or set checks.RC102.level: warning")
    }

    func testAnUnknownAllowCodeIsRefusedWithASuggestion() throws {
        let (project, _) = try project()
        let result = try project.recon("apply", "--auto-approve", "--allow", "RC101,RC12")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("invalid --allow 'RC12': no such check code"), result.stderr)
        XCTAssertTrue(result.stderr.contains("did you mean 'RC102'?"), result.stderr)
    }
}
