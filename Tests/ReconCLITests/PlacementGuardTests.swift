import Foundation
import TestSupport
import XCTest

/// Issue 14 review: a database or state placed where Recon's own files live, or where a source repo
/// lives, is refused before anything is written.
final class PlacementGuardTests: XCTestCase {
    private func target(_ project: CLIProject, database: String) {
        let schema = project.directory.read("manifests/schema.yaml")!
        project.directory.write("manifests/schema.yaml", schema.replacingOccurrences(
            of: "database: state/catalog.sqlite", with: "database: \(database)"))
    }

    /// Finding 5: the fold deleted a database named like the journal; plan replaced one named like a cache file.
    func testADatabaseAmongReconsOwnFilesIsRefusedAndNothingIsWritten() throws {
        for database in ["state/recon.state.journal", "state/recon.state.json", "state/cache/extract/core.json",
                         "state/../state/recon.state.journal", "state/.lock", "state/runs/x.sqlite", "state/history/h.sqlite"] {
            let project = CLIProject()
            project.skill("alpha", "one")
            project.repo.commit("one")
            target(project, database: database)
            for command in [["apply", "--auto-approve"], ["plan"], ["drift"]] {
                let result = try project.recon(command)
                XCTAssertEqual(result.status, 1, "\(database) \(command): \(result.stdout)\(result.stderr)")
                XCTAssertTrue(result.stderr.contains("Recon's own files"), "\(database) \(command): \(result.stderr)")
                XCTAssertFalse(project.directory.exists("state"), "\(database) \(command): nothing is written")
            }
        }
    }

    func testADatabaseBesideTheStateFileIsStillAccepted() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        target(project, database: "state/other.sqlite")
        let result = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(project.directory.exists("state/other.sqlite"))
    }

    /// Finding 11b: `~` is not expanded, so `~/x.sqlite` made a folder named `~`.
    func testADatabaseStartingWithATildeIsRefusedAtItsLocation() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        target(project, database: "~/x.sqlite")
        for command in [["validate"], ["plan"], ["apply", "--auto-approve"]] {
            let result = try project.recon(command)
            XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("schema.yaml:1:"), "\(command): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("'~'"), "\(command): \(result.stderr)")
        }
        XCTAssertFalse(project.directory.exists("~"))
        XCTAssertFalse(project.directory.exists("state"))
    }

    /// Finding 11c: `--state` inside a source repo left `.lock.guard` (and caches) in the repo.
    func testAStateNamingASourceFileIsRefusedAndTheRepoIsNotWritten() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let before = project.repo.git("status", "--porcelain", "--ignored")
        let state = "\(project.repo.path)/plugins/alpha/plugin.json"
        for command in [["apply", "--auto-approve"], ["plan"], ["drift"], ["prune"]] {
            let result = try project.recon(command + ["--state", state])
            XCTAssertEqual(result.status, 1, "\(command): \(result.stdout)\(result.stderr)")
            XCTAssertTrue(result.stderr.contains("is a file that is not a Recon state"), "\(command): \(result.stderr)")
            XCTAssertEqual(project.repo.git("status", "--porcelain", "--ignored"), before, "\(command) wrote into the repo")
        }
    }

    /// A project may catalog its own repo (`path: .`, as this repository's manifests do) with its state
    /// folder inside it.
    func testAStateFolderInsideTheCatalogedRepoIsAccepted() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let state = "\(project.repo.path)/state/recon.state.json"
        let apply = try project.recon("apply", "--auto-approve", "--state", state)
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(try project.recon("plan", "-detailed-exitcode", "--state", state).status, 0)
    }
}
