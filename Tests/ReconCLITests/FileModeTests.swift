import Foundation
import TestSupport
import XCTest

/// Issue 14: state, backups, history and plan copies hold a private base's data. Whatever the
/// umask, Recon creates its files 0600 in 0700 folders, and a file it replaces keeps its mode.
final class FileModeTests: XCTestCase {
    func testEverythingUnderStateAndPlanOutIsPrivateWhateverTheUmask() throws {
        for mask: mode_t in [0o022, 0o000] {
            let project = CLIProject()
            project.skill("alpha", "one")
            project.repo.commit("one")
            try withUmask(mask) {
                XCTAssertEqual(try project.recon("plan", "-out", "plan.json").status, 0)
                XCTAssertEqual(mode(project.directory.file("plan.json")), 0o600, "plan -out, umask \(String(mask, radix: 8))")
                let apply = try project.recon("apply", "plan.json")
                XCTAssertEqual(apply.status, 0, apply.stderr)
                project.skill("alpha", "two")
                project.repo.commit("two")
                let again = try project.recon("apply", "-auto-approve")
                XCTAssertEqual(again.status, 0, again.stderr)
            }
            let state = project.directory.file("state")
            XCTAssertEqual(mode(state), 0o700)
            var files = 0
            let enumerator = FileManager.default.enumerator(atPath: state)
            while let relative = enumerator?.nextObject() as? String {
                let path = "\(state)/\(relative)"
                var info = stat()
                XCTAssertEqual(lstat(path, &info), 0)
                let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
                if !isDirectory { files += 1 }
                XCTAssertEqual(info.st_mode & 0o777, isDirectory ? 0o700 : 0o600,
                               "\(relative) under umask \(String(mask, radix: 8))")
            }
            for expected in ["recon.state.json", "catalog.sqlite", "history", "runs", "cache/extract/core.json"] {
                XCTAssertTrue(project.directory.exists("state/\(expected)"), expected)
            }
            XCTAssertGreaterThan(files, 6)
        }
    }

    /// A fresh clone has `state/` at 0755 (git makes it, for its README); the first apply makes it 0700.
    func testAStateFolderFromACloneIsMadePrivateByTheFirstApply() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        project.directory.write("state/README.md", "What Recon writes.\n")
        XCTAssertEqual(chmod(project.directory.file("state"), 0o755), 0)
        let apply = try project.recon("apply", "-auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(mode(project.directory.file("state")), 0o700)
        XCTAssertEqual(mode(project.directory.file("state/README.md")) & 0o700, 0o600, "files already there are left as they are")
    }

    func testARewrittenStateFileKeepsItsMode() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("apply", "-auto-approve").status, 0)
        let statePath = project.directory.file("state/recon.state.json")
        XCTAssertEqual(chmod(statePath, 0o640), 0)
        project.skill("alpha", "two")
        project.repo.commit("two")
        let apply = try project.recon("apply", "-auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertTrue(project.directory.read("state/recon.state.json")!.contains("skills/two"), "the state was rewritten")
        XCTAssertEqual(mode(statePath), 0o640)
    }

    private func mode(_ path: String) -> mode_t {
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0, path)
        return info.st_mode & 0o777
    }

    /// The child inherits the umask; XCTest runs one test at a time in this process.
    private func withUmask(_ mask: mode_t, _ body: () throws -> Void) rethrows {
        let previous = umask(mask)
        defer { umask(previous) }
        try body()
    }
}
