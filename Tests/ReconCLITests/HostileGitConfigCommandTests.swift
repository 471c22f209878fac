import Foundation
import TestSupport
import XCTest

/// The real `recon` against a repo whose `.git/config` names programs or points git elsewhere.
final class HostileGitConfigCommandTests: XCTestCase {
    private func evilScript(_ sentinel: TemporaryDirectory) -> String {
        sentinel.write("evil.sh", "#!/bin/sh\ntouch '\(sentinel.path)/ran-'$$\nexit 0\n")
        chmod(sentinel.path + "/evil.sh", 0o755)
        return sentinel.path + "/evil.sh"
    }

    private func ran(_ sentinel: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sentinel.path).filter { $0.hasPrefix("ran-") }
    }

    func testPlanOverASignedHeadRunsNoVerifier() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let sentinel = TemporaryDirectory("sentinel")
        let evil = evilScript(sentinel)
        let tree = project.repo.git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)
        project.repo.write("commit.txt", """
            tree \(tree)
            parent \(project.repo.head)
            author A <a@x> 1704067200 +0000
            committer A <a@x> 1704067200 +0000
            gpgsig -----BEGIN PGP SIGNATURE-----
             AAAA
             -----END PGP SIGNATURE-----

            signed

            """)
        let signed = project.repo.git("hash-object", "-t", "commit", "-w", "commit.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        project.repo.remove("commit.txt")
        project.repo.git("update-ref", "refs/heads/main", signed)
        project.repo.git("config", "log.showSignature", "true")
        project.repo.git("config", "gpg.program", evil)

        let plan = try project.recon("plan")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertEqual(try ran(sentinel), [], "recon plan ran the repo's gpg.program")
    }

    func testExtractRefusesAPartialCloneAndRunsNothing() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let sentinel = TemporaryDirectory("sentinel")
        let evil = evilScript(sentinel)
        let blob = project.repo.git("rev-parse", "HEAD:plugins/alpha/plugin.json").trimmingCharacters(in: .whitespacesAndNewlines)
        project.repo.remove(".git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))")
        for (key, value) in [("core.repositoryformatversion", "1"), ("extensions.partialClone", "origin"),
                             ("remote.origin.promisor", "true"), ("remote.origin.url", "/nonexistent"),
                             ("remote.origin.uploadpack", evil)] {
            project.repo.git("config", key, value)
        }
        let extract = try project.recon("extract")
        XCTAssertNotEqual(extract.status, 0)
        XCTAssertEqual(try ran(sentinel), [], "recon extract ran the repo's upload-pack")
        XCTAssertTrue(extract.stderr.contains("schema.yaml:") && extract.stderr.contains("partial clone"), extract.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/state/catalog.sqlite"))
    }

    func testPlanRefusesAFolderInsideARepo() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.write("plain/plugins/beta/plugin.json", #"{"name": "beta"}"#)
        project.repo.commit("one")
        let schema = try XCTUnwrap(project.directory.read("manifests/schema.yaml"))
        project.directory.write("manifests/schema.yaml", schema.replacingOccurrences(of: "path: \(project.repo.path)",
                                                                                    with: "path: \(project.repo.path)/plain"))
        let plan = try project.recon("plan")
        XCTAssertNotEqual(plan.status, 0)
        XCTAssertTrue(plan.stderr.contains("not the top level"), plan.stderr)
        XCTAssertFalse(plan.stdout.contains("alpha"), plan.stdout)
    }
}
