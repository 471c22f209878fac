import Foundation
import TestSupport
import XCTest

/// `recon report` through the real binary (issue 11): where it writes, what it refuses, and that it reads the
/// state where every command does, local or PostgreSQL.
final class ReportCommandTests: XCTestCase {
    private func applied(_ project: CLIProject, environment: [String: String] = [:]) throws {
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("skills")
        let apply = try ReconProcess.run(["apply", "--auto-approve"], in: project.path, environment: environment)
        XCTAssertEqual(apply.status, 0, apply.stderr)
    }

    /// The text of the managed-records cell of `table`'s row.
    private func managed(_ html: String, table: String) -> String? {
        guard let row = html.range(of: "<tr><td>\(table)</td><td class=\"n\">") else { return nil }
        return html[row.upperBound...].prefix { $0 != "<" }.description
    }

    func testWritesIntoOutAndShowsTheLocalState() throws {
        let project = CLIProject()
        try applied(project)
        let report = try project.recon("report", "--out", "public/recon")
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertEqual(report.stdout, "Wrote public/recon/index.html: 1 runs and drift checks.\n")
        let html = try XCTUnwrap(project.directory.read("public/recon/index.html"))
        XCTAssertEqual(managed(html, table: "Skills"), "2")
        XCTAssertEqual(managed(html, table: "Plugins"), "1")
        XCTAssertTrue(html.contains("<code>Status</code>"), "the protected field is listed")
        XCTAssertFalse(project.directory.exists("state/report"), "--out replaces the default folder")
        let again = try project.recon("report", "--out", "public/recon")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(project.directory.read("public/recon/index.html"), html, "an unchanged history gives the same bytes")
    }

    func testAFolderWithAnotherToolsIndexIsRefusedAndNothingIsWritten() throws {
        let project = CLIProject()
        try applied(project)
        project.directory.write("site/index.html", "<html>our home page</html>")
        let report = try project.recon("report", "--out", "site")
        XCTAssertEqual(report.status, 1)
        XCTAssertTrue(report.stderr.contains("'site/index.html' is not a page of a Recon report, so it is not replaced"), report.stderr)
        XCTAssertEqual(project.directory.read("site/index.html"), "<html>our home page</html>")
    }

    func testInvalidManifestsAreAnErrorAndWriteNothing() throws {
        let project = CLIProject()
        try applied(project)
        project.directory.write("manifests/policy.yaml", "retention: {drift_check: {keep_last: 3}}\n")
        let report = try project.recon("report")
        XCTAssertEqual(report.status, 1)
        XCTAssertTrue(report.stderr.contains("policy.yaml:1:"), report.stderr)
        XCTAssertTrue(report.stderr.contains("drift_checks"), "did-you-mean: \(report.stderr)")
        XCTAssertFalse(project.directory.exists("state/report"))
    }

    func testTheStateInPostgreSQLIsRead() throws {
        let server = try PostgresServer.shared()
        let project = CLIProject()
        let schema = "report_\(UUID().uuidString.prefix(8).lowercased())"
        project.directory.write("manifests/state.yaml", "state:\n  backend: postgres\n  url_env: TEAM_STATE_URL\n  schema: \(schema)\n")
        let environment = ["TEAM_STATE_URL": server.uri()]
        try applied(project, environment: environment)
        XCTAssertFalse(project.directory.exists("state/recon.state.json"), "no local state")
        let report = try ReconProcess.run(["report"], in: project.path, environment: environment)
        XCTAssertEqual(report.status, 0, report.stderr)
        let html = try XCTUnwrap(project.directory.read("state/report/index.html"))
        XCTAssertEqual(managed(html, table: "Skills"), "2")
        XCTAssertTrue(html.contains("in PostgreSQL schema"), "the page says where the state is")
        XCTAssertTrue(html.contains("The state is not locked"))
        XCTAssertFalse(html.contains(server.password))
    }
}
