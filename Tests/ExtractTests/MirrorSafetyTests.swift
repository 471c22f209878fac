import Extract
import Foundation
import Manifest
import ReconCore
import TestSupport
import XCTest

/// The manifest refuses a repo named `..`; the mirror refresh must not rely on that alone: a mirror
/// folder that is not strictly inside `state/repos` is never removed.
final class MirrorSafetyTests: XCTestCase {
    func testAMirrorNameThatLeavesTheReposFolderRemovesNothing() throws {
        let (repo, _) = makeCatalogRepo()
        for name in ["..", ".", "../..", ""] {
            let state = TemporaryDirectory("recon-state")
            state.write("precious.txt", "keep me")
            state.write("repos/other/HEAD", "ref: refs/heads/main\n")
            let spec = RepoSpec(name: name, source: .url("file://\(repo.path)"), extract: [],
                                at: SourceLocation(file: "repos.yaml", line: 1, column: 1))
            let manifest = Manifest(repos: [spec])
            XCTAssertThrowsError(try Extraction(manifest: manifest, stateDirectory: state.path).run(), "name '\(name)'")
            XCTAssertEqual(state.read("precious.txt"), "keep me", "name '\(name)'")
            XCTAssertEqual(state.read("repos/other/HEAD"), "ref: refs/heads/main\n", "name '\(name)'")
        }
    }

    /// Extraction runs inside `plan`, which deletes nothing: a folder in the mirror's place that is not
    /// a mirror is refused with its path, never removed to make room.
    func testAFolderInTheMirrorsPlaceIsRefusedNotRemoved() throws {
        let (repo, _) = makeCatalogRepo()
        let state = TemporaryDirectory("recon-state")
        state.write("repos/core/notes.txt", "mine")
        let spec = RepoSpec(name: "core", source: .url("file://\(repo.path)"), extract: [],
                            at: SourceLocation(file: "repos.yaml", line: 1, column: 1))
        XCTAssertThrowsError(try Extraction(manifest: Manifest(repos: [spec]), stateDirectory: state.path).run()) { error in
            XCTAssertTrue("\(error)".contains("is not a git mirror"), "\(error)")
        }
        XCTAssertEqual(state.read("repos/core/notes.txt"), "mine")
        XCTAssertEqual(state.list("repos"), ["core"], "no partial clone is left behind")

        try FileManager.default.removeItem(atPath: state.file("repos/core"))
        _ = try Extraction(manifest: Manifest(repos: [spec]), stateDirectory: state.path).run()
        XCTAssertTrue(state.exists("repos/core/HEAD"), "with the place free, the mirror is cloned")
        XCTAssertEqual(state.list("repos"), ["core"])
    }
}
