import Foundation
import TestSupport
import XCTest

/// The CI examples (issue 9, point 10) run as the workflows run them: the very scripts of examples/ci/scripts,
/// the real recon, a real SQLite base and the test PostgreSQL as the shared state; only GitHub is a fake.
/// Each job runs in a checkout of its own, as on fresh runners.
final class CIWorkflowTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let scripts = root + "/examples/ci/scripts"

    func testPlanCommentApplyAndDriftJobs() throws {
        let server = try PostgresServer.shared()
        let schema = "ci_\(UUID().uuidString.prefix(8).lowercased())"
        let base = TemporaryDirectory("ci-base")
        let repo = GitFixture("ci-skills")
        let skill = { (name: String) in
            repo.write("plugins/alpha/plugin.json", #"{"name": "alpha"}"#)
            repo.write("plugins/alpha/skills/\(name)/SKILL.md", "---\nname: \(name)\n---\nBody.\n")
        }
        skill("one")
        skill("two")
        repo.commit("two skills")
        let manifests = """
            target: {provider: sqlite, database: \(base.path)/catalog.sqlite}
            state: {backend: postgres, url_env: RECON_STATE_URL, schema: \(schema)}
            tables:
              - name: Skills
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Skills, files: ["plugins/*/skills/*/SKILL.md"], as: frontmatter, root: ., fields: {Name: name}}
            """
        let planRunner = TemporaryDirectory("ci-plan-runner")
        planRunner.write("manifests/recon.yaml", manifests)
        let github = FakeGitHub()
        let environment = github.environment.merging([
            "RECON": ReconProcess.executable, "RECON_STATE_URL": server.uri(),
            "GITHUB_REPOSITORY": "acme/catalog", "PR_NUMBER": "7",
        ]) { _, new in new }

        // Plan on pull request: one comment, starting with the marker.
        let planned = try run("plan-comment.sh", in: planRunner, environment)
        XCTAssertEqual(planned.status, 0, planned.stdout + planned.stderr)
        let first = github.comments(on: 7)
        XCTAssertEqual(first.count, 1, "one comment")
        let posted = try XCTUnwrap(first.first).body
        XCTAssertTrue(posted.hasPrefix("<!-- recon-plan target=sqlite:"), posted)
        XCTAssertTrue(posted.contains("2 to add"), posted)

        // A second push: the same comment is updated, no second one is posted.
        skill("three")
        repo.commit("a third")
        let replanned = try run("plan-comment.sh", in: planRunner, environment)
        XCTAssertEqual(replanned.status, 0, replanned.stdout + replanned.stderr)
        let second = github.comments(on: 7)
        XCTAssertEqual(second.map(\.id), first.map(\.id), "the same comment, updated in place")
        let replaced = try XCTUnwrap(second.first).body
        XCTAssertTrue(replaced.contains("3 to add"), replaced)
        XCTAssertEqual(github.calls.filter { $0.contains("--method POST") }.count, 1, github.calls.joined(separator: "\n"))
        XCTAssertEqual(github.calls.filter { $0.contains("--method PATCH") }.count, 1, github.calls.joined(separator: "\n"))

        // Apply on merge, on another runner: the reviewed plan, found through the merged pull request.
        try github.artifact(run: 555, name: "recon-plan", files: ["recon-plan.json": planRunner.file("recon-plan.json")])
        github.answer("repos/acme/catalog/commits/merge123/pulls", with: #"[{"number": 7, "head": {"sha": "head456"}}]"#)
        github.answer("repos/acme/catalog/actions/workflows/recon-plan.yml/runs", with: #"{"workflow_runs": [{"id": 555}]}"#)
        let applyRunner = TemporaryDirectory("ci-apply-runner")
        applyRunner.write("manifests/recon.yaml", manifests)
        var merge = environment
        merge["GITHUB_SHA"] = "merge123"
        let applied = try run("apply.sh", in: applyRunner, merge)
        XCTAssertEqual(applied.status, 0, applied.stdout + applied.stderr)
        XCTAssertTrue(applied.stdout.contains("Apply complete! 3 added"), applied.stdout)
        XCTAssertTrue(github.calls.contains { $0.contains("head_sha=head456") && $0.contains("status=success") }, github.calls.joined(separator: "\n"))
        let after = try ReconProcess.run(["plan", "-detailed-exitcode"], in: applyRunner.path, environment: ["RECON_STATE_URL": server.uri()])
        XCTAssertEqual(after.status, 0, after.stdout + after.stderr)
        XCTAssertTrue(after.stdout.contains("No changes"), after.stdout)
        let again = try run("apply.sh", in: applyRunner, merge)
        XCTAssertEqual(again.status, 1, "the same plan twice is stale: \(again.stdout)")
        XCTAssertTrue(again.stderr.contains("the plan is stale"), again.stderr)

        // Nightly drift, on a third runner: a hand edit fails the job and opens one issue; again, the same issue.
        let driftRunner = TemporaryDirectory("ci-drift-runner")
        driftRunner.write("manifests/recon.yaml", manifests)
        sqlite(base.file("catalog.sqlite"), "UPDATE Skills SET Name = 'edited by hand' WHERE Name = 'two'")
        let drifted = try run("drift.sh", in: driftRunner, environment)
        XCTAssertEqual(drifted.status, 2, drifted.stdout + drifted.stderr)
        let opened = github.issues()
        XCTAssertEqual(opened.count, 1)
        let issue = try XCTUnwrap(opened.first)
        XCTAssertEqual(issue.labels, ["recon-drift"])
        XCTAssertTrue(issue.body.hasPrefix("<!-- recon-drift label=recon-drift -->\n"), issue.body)
        XCTAssertTrue(issue.body.contains("edited by hand"), issue.body)
        XCTAssertTrue(issue.title.hasPrefix("Recon drift: 1 record changed"), issue.title)
        sqlite(base.file("catalog.sqlite"), "UPDATE Skills SET Name = 'edited twice' WHERE Name = 'edited by hand'")
        let still = try run("drift.sh", in: driftRunner, environment)
        XCTAssertEqual(still.status, 2, still.stdout + still.stderr)
        let updated = github.issues()
        XCTAssertEqual(updated.map(\.number), opened.map(\.number), "the same issue, updated")
        XCTAssertTrue(try XCTUnwrap(updated.first).body.contains("edited twice"), "\(updated)")

        // Drift that cannot be checked fails the job without an issue: an error is not drift.
        var broken = environment
        broken["RECON_STATE_URL"] = ""
        let failed = try run("drift.sh", in: driftRunner, broken)
        XCTAssertEqual(failed.status, 1, failed.stdout + failed.stderr)
        XCTAssertEqual(github.issues().count, 1)

        // A push whose plan has an error finding: the comment still shows it, and the run fails.
        repo.remove("plugins/alpha/skills/one")
        repo.remove("plugins/alpha/skills/two")
        repo.commit("two skills gone")
        let refused = try run("plan-comment.sh", in: planRunner, environment)
        XCTAssertEqual(refused.status, 1, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("the plan has error findings"), refused.stderr)
        let shown = github.comments(on: 7)
        XCTAssertEqual(shown.map(\.id), first.map(\.id), "still one comment")
        XCTAssertTrue(try XCTUnwrap(shown.first).body.contains("RC101"), "\(shown)")
    }

    /// The workflows parse (with the project's YAML loader), pin actions by major version, declare their
    /// permissions, and call only scripts that exist, are executable and parse: the examples cannot rot.
    func testWorkflowsCallOnlyScriptsThatExist() throws {
        let folder = Self.root + "/examples/ci"
        let workflows = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yml") }.sorted()
        XCTAssertEqual(workflows, ["recon-apply.yml", "recon-drift.yml", "recon-plan.yml"])
        var called = Set<String>()
        for name in workflows {
            let workflow = try WorkflowFile(path: folder + "/" + name)
            XCTAssertNotNil(workflow.top("permissions"), "\(name) declares its permissions")
            XCTAssertFalse(workflow.steps.isEmpty, name)
            for step in workflow.steps {
                if let uses = step["uses"] {
                    XCTAssertNotNil(uses.range(of: #"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@v[0-9]+$"#, options: .regularExpression),
                                    "\(name): '\(uses)' is pinned by major version")
                }
                for script in WorkflowFile.scripts(in: step["run"] ?? "") {
                    called.insert(script)
                    XCTAssertTrue(FileManager.default.isExecutableFile(atPath: Self.root + "/" + script), "\(name) calls \(script)")
                }
            }
        }
        XCTAssertEqual(called, ["examples/ci/scripts/apply.sh", "examples/ci/scripts/drift.sh",
                                "examples/ci/scripts/install-recon.sh", "examples/ci/scripts/plan-comment.sh"])
        for script in try FileManager.default.contentsOfDirectory(atPath: Self.scripts) where script.hasSuffix(".sh") {
            let parsed = try ReconProcess.shell(["bash", "-n", Self.scripts + "/" + script])
            XCTAssertEqual(parsed.status, 0, "\(script) parses: \(parsed.stderr)")
        }
    }

    private func run(_ script: String, in runner: TemporaryDirectory, _ environment: [String: String]) throws -> ReconProcess.Result {
        try ReconProcess.shell(["bash", Self.scripts + "/" + script], in: runner.path, environment: environment)
    }

    private func sqlite(_ database: String, _ statement: String) {
        let result = try! ReconProcess.shell(["sqlite3", database, statement])
        XCTAssertEqual(result.status, 0, result.stderr)
    }
}
