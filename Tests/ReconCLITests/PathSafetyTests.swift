import Foundation
import TestSupport
import XCTest

/// Issue 14: a repo named `..` or `.` with a `url:` made `plan` empty `state/`. The read-only
/// commands must refuse such a name at its line and column and leave `state/` exactly as it was.
final class PathSafetyTests: XCTestCase {
    func testHostileRepoNamesAreRefusedAndReadOnlyCommandsLeaveStateUntouched() throws {
        for name in ["..", "."] {
            let project = CLIProject()
            project.skill("alpha", "one")
            project.repo.commit("one")
            project.directory.write("manifests/repos.yaml", """
                repos:
                  - name: "\(name)"
                    url: file://\(project.repo.path)
                    extract:
                      - {table: Plugins, files: ["plugins/*/plugin.json"], as: json, root: ., fields: {Name: name}}
                """)
            project.directory.write("state/history/recon.state.00000001.20240101T000000.000Z.json", "{}")
            project.directory.write("state/cache/extract/core.json", "cache")
            project.directory.write("state/repos/core/HEAD", "ref: refs/heads/main\n")
            project.directory.write("state/other.sqlite", "not a database, but precious")
            project.directory.write("saved.plan.json", "{}")
            let before = snapshot(project.directory.file("state"))

            for command in [["validate"], ["plan"], ["plan", "-out", "p.json"], ["extract"], ["drift"]] {
                let result = try project.recon(command)
                XCTAssertEqual(result.status, 1, "\(name) \(command): \(result.stdout)\(result.stderr)")
                XCTAssertTrue(result.stderr.contains("repos.yaml:2:"), "\(name) \(command): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains("invalid repo name '\(name)'"), "\(name) \(command): \(result.stderr)")
                XCTAssertEqual(snapshot(project.directory.file("state")), before, "\(name) \(command) changed state/")
                XCTAssertFalse(project.directory.exists("p.json"))
            }
            let show = try project.recon(["show", "saved.plan.json"])
            XCTAssertEqual(show.status, 1, show.stderr)
            XCTAssertEqual(snapshot(project.directory.file("state")), before, "show changed state/")
        }
    }

    func testAStatePathThatIsAFolderIsRefused() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        for bad in ["state/", "state/..", ""] {
            let result = try project.recon(["plan", "--state", bad])
            XCTAssertEqual(result.status, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains("--state"), "\(bad): \(result.stderr)")
        }
        XCTAssertFalse(project.directory.exists("state"), "nothing was written")
    }

    /// Every file and folder below `root`: relative path → mode and bytes (folders: mode only).
    private func snapshot(_ root: String) -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            let path = "\(root)/\(relative)"
            var info = stat()
            XCTAssertEqual(lstat(path, &info), 0)
            let bytes = FileManager.default.contents(atPath: path).map { $0.base64EncodedString() } ?? "<dir>"
            result[relative] = String(info.st_mode, radix: 8) + " " + bytes
        }
        return result
    }
}

extension CLIProject {
    func recon(_ arguments: [String]) throws -> ReconProcess.Result {
        try ReconProcess.run(arguments, in: path)
    }
}
