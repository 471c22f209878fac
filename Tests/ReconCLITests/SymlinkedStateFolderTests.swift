import Foundation
import TestSupport
import XCTest

/// A folder under `state/` that is a symlink (committed, so a CI runner checks it out) is never followed for a
/// write or a delete: a cache folder is simply not used, a folder Recon must write in is a clear error.
/// Real binary, real git repo, real SQLite file; the link targets stand for files outside the state folder.
final class SymlinkedStateFolderTests: XCTestCase {
    private let outside = TemporaryDirectory("symlink-victim")

    /// Two skills applied, then skill one renamed (committed): the next plan has an update.
    private func project() throws -> CLIProject {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("two skills")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        project.skill("alpha", "one", title: "One v2")
        project.repo.commit("rename one")
        return project
    }

    /// Replaces `state/<folder>` by a symlink to `victim` (made, outside the project).
    private func link(_ project: CLIProject, _ folder: String, to victim: String) throws {
        let target = outside.file(victim)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let path = project.directory.file("state/\(folder)")
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    func testASymlinkedReceiptFolderIsNeitherPrunedNorWritten() throws {
        let project = try project()
        try link(project, "cache/plan-receipts", to: "victim")
        var names: [String] = []
        for i in 1...55 {
            let name = String(repeating: "0", count: 62) + String(format: "%02x", i) + ".json"
            outside.write("victim/\(name)", "{}")
            names.append(name)
        }
        let plan = try project.recon("plan", "-out", "plan.json")
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertEqual(outside.list("victim").sorted(), names, "plan -out pruned or wrote outside the state folder")
        let apply = try project.recon("apply", "plan.json", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertEqual(outside.list("victim").sorted(), names, "apply removed a file outside the state folder")
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = 'core:plugins/alpha/skills/one'"), ["One v2"])
    }

    func testASymlinkedExtractCacheIsNotWrittenThrough() throws {
        let project = try project()
        try link(project, "cache/extract", to: "victim2")
        outside.write("victim2/core.json", "PRECIOUS")
        let plan = try project.recon("plan")
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        XCTAssertEqual(outside.read("victim2/core.json"), "PRECIOUS")
        XCTAssertEqual(outside.list("victim2"), ["core.json"])
    }

    func testASymlinkedCacheParentIsNotWrittenThrough() throws {
        let project = try project()
        try FileManager.default.removeItem(atPath: project.directory.file("state/cache"))
        try link(project, "cache", to: "victim3")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stdout + apply.stderr)
        let plan = try project.recon("plan")
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertEqual(outside.list("victim3"), [], "a cache entry, receipt or seal was written through the link")
    }

    func testASymlinkedNoChangeSealFolderIsNotWrittenThrough() throws {
        let project = try project()
        try link(project, "cache/noop-seal", to: "victim4")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        XCTAssertEqual(try project.recon("plan").status, 0)
        XCTAssertEqual(try project.recon("plan").status, 0)
        XCTAssertEqual(outside.list("victim4"), [])
    }

    func testASymlinkedRunsFolderIsAClearErrorAndNothingIsWritten() throws {
        let project = try project()
        try link(project, "runs", to: "victim5")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertNotEqual(apply.status, 0, apply.stdout)
        XCTAssertTrue(apply.stderr.contains("symlink"), apply.stderr)
        XCTAssertEqual(outside.list("victim5"), [])
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = 'core:plugins/alpha/skills/one'"), ["one"])
    }

    func testASymlinkedHistoryFolderIsAClearErrorAndNothingIsWritten() throws {
        let project = try project()
        try link(project, "history", to: "victim6")
        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertNotEqual(apply.status, 0, apply.stdout)
        XCTAssertTrue(apply.stderr.contains("symlink"), apply.stderr)
        XCTAssertEqual(outside.list("victim6"), [])
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = 'core:plugins/alpha/skills/one'"), ["one"])
    }

    func testASymlinkedReportFolderIsAClearErrorAndNothingIsWritten() throws {
        let project = try project()
        try link(project, "report", to: "victim7")
        let report = try project.recon("report")
        XCTAssertNotEqual(report.status, 0, report.stdout)
        XCTAssertTrue(report.stderr.contains("symlink"), report.stderr)
        XCTAssertEqual(outside.list("victim7"), [])
    }

    func testASymlinkedMirrorFolderIsAClearErrorAndNothingIsCloned() throws {
        let project = try project()
        let manifest = try XCTUnwrap(project.directory.read("manifests/schema.yaml"))
        project.directory.write("manifests/schema.yaml",
                                manifest.replacingOccurrences(of: "path: \(project.repo.path)", with: "url: file://\(project.repo.path)"))
        try link(project, "repos", to: "victim8")
        let plan = try project.recon("plan")
        XCTAssertNotEqual(plan.status, 0, plan.stdout)
        XCTAssertTrue(plan.stderr.contains("symlink"), plan.stderr)
        XCTAssertEqual(outside.list("victim8"), [])
    }

    func testADriftCheckIsNotRecordedThroughASymlinkedRunsFolder() throws {
        let project = try project()
        try link(project, "runs", to: "victim9")
        let drift = try project.recon("drift")
        XCTAssertTrue(drift.stderr.contains("symlink"), drift.stdout + drift.stderr)
        XCTAssertEqual(outside.list("victim9"), [])
    }
}
