import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// What a repo's `.git/config` can make the git commands Recon runs do: run a program (signature
/// verifiers, a lazy fetch's transport) or read outside the declared folder. Each is refused or pinned.
final class HostileGitConfigTests: XCTestCase {
    private func rules(_ path: String, worktree: Bool = false) -> String {
        """
        repos:
          - name: core
            path: \(path)
            worktree: \(worktree)
            extract:
              - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, fields: {Name: name, Commit: $commit}}
        """
    }

    /// A script that leaves a file in `sentinel` each time it runs.
    private func script(in sentinel: TemporaryDirectory) -> String {
        sentinel.write("evil.sh", "#!/bin/sh\ntouch '\(sentinel.path)/ran-'$$\nexit 0\n")
        chmod(sentinel.path + "/evil.sh", 0o755)
        return sentinel.path + "/evil.sh"
    }

    private func ran(_ sentinel: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sentinel.path).filter { $0.hasPrefix("ran-") }
    }

    private func skillRepo() -> GitFixture {
        let repo = GitFixture("core")
        repo.write("skills/a/SKILL.md", "---\nname: a\n---\n")
        repo.commit("one skill")
        return repo
    }

    /// `log.showSignature` makes `git log` run the verifier a signature's kind names, for every signed commit.
    func testSignatureVerifiersNamedByTheRepoNeverRun() throws {
        let signatures = ["-----BEGIN PGP SIGNATURE-----", "-----BEGIN SSH SIGNATURE-----", "-----BEGIN SIGNED MESSAGE-----"]
        for header in signatures {
            let repo = skillRepo()
            let sentinel = TemporaryDirectory("sentinel")
            let evil = script(in: sentinel)
            let tree = repo.git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)
            repo.write("commit.txt", """
                tree \(tree)
                parent \(repo.head)
                author A <a@x> 1704067200 +0000
                committer A <a@x> 1704067200 +0000
                gpgsig \(header)
                 AAAA
                 \(header.replacingOccurrences(of: "BEGIN", with: "END"))

                signed

                """)
            let signed = repo.git("hash-object", "-t", "commit", "-w", "commit.txt").trimmingCharacters(in: .whitespacesAndNewlines)
            repo.remove("commit.txt")
            repo.git("update-ref", "refs/heads/main", signed)
            for (key, value) in [("log.showSignature", "true"), ("gpg.program", evil), ("gpg.openpgp.program", evil),
                                 ("gpg.ssh.program", evil), ("gpg.ssh.allowedSignersFile", evil),
                                 ("gpg.x509.program", evil)] {
                repo.git("config", key, value)
            }
            for worktree in [false, true] {
                let result = try ExtractHarness().run(rules(repo.path, worktree: worktree))
                XCTAssertEqual(result.records.map { $0.fields["Name"] }, [.text("a")])
            }
            XCTAssertEqual(try ran(sentinel), [], "\(header): a signature verifier named by the repo ran")
        }
    }

    /// A promisor remote makes `cat-file` fetch a missing object through a transport the repo names.
    func testPartialCloneIsRefusedAndNothingIsFetched() throws {
        let repo = skillRepo()
        let sentinel = TemporaryDirectory("sentinel")
        let evil = script(in: sentinel)
        let blob = repo.git("rev-parse", "HEAD:skills/a/SKILL.md").trimmingCharacters(in: .whitespacesAndNewlines)
        repo.remove(".git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))")
        for (key, value) in [("core.repositoryformatversion", "1"), ("extensions.partialClone", "origin"),
                             ("remote.origin.promisor", "true"), ("remote.origin.url", "/nonexistent"),
                             ("remote.origin.uploadpack", evil), ("core.sshCommand", evil), ("credential.helper", evil)] {
            repo.git("config", key, value)
        }
        let diagnostics = try ExtractHarness().failure(rules(repo.path))
        XCTAssertEqual(try ran(sentinel), [], "the lazy fetch ran the repo's upload-pack")
        let error = try XCTUnwrap(diagnostics.first { $0.severity == .error }, "\(diagnostics.map(\.message))")
        XCTAssertTrue(error.message.contains("partial clone"), error.message)
    }

    /// A promisor remote alone, without the extension, is refused the same way.
    func testPromisorRemoteWithoutTheExtensionIsRefused() throws {
        let repo = skillRepo()
        repo.git("config", "remote.origin.url", "/nonexistent")
        repo.git("config", "remote.origin.promisor", "yes")
        let diagnostics = try ExtractHarness().failure(rules(repo.path))
        XCTAssertTrue(diagnostics.contains { $0.message.contains("partial clone") }, "\(diagnostics.map(\.message))")
        repo.git("config", "remote.origin.promisor", "false")
        XCTAssertEqual(try ExtractHarness().run(rules(repo.path)).records.count, 1, "promisor = false is an ordinary remote")
    }

    /// A missing object is an error that says what failed once, not twice.
    func testMissingObjectErrorNamesGitOnce() throws {
        let repo = skillRepo()
        let blob = repo.git("rev-parse", "HEAD:skills/a/SKILL.md").trimmingCharacters(in: .whitespacesAndNewlines)
        repo.remove(".git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))")
        let diagnostics = try ExtractHarness().failure(rules(repo.path))
        let error = try XCTUnwrap(diagnostics.first { $0.severity == .error }, "\(diagnostics.map(\.message))")
        XCTAssertEqual(error.message.components(separatedBy: "failed in").count, 2, error.message)
    }

    /// `core.worktree` points the working tree anywhere; `worktree: true` must not read it.
    func testWorktreeOutsideTheDeclaredFolderIsRefused() throws {
        let repo = skillRepo()
        let outside = TemporaryDirectory("outside")
        outside.write("skills/secret/SKILL.md", "---\nname: secret\n---\n")
        repo.git("config", "core.worktree", outside.path)
        for worktree in [true, false] {
            let diagnostics = try ExtractHarness().failure(rules(repo.path, worktree: worktree))
            XCTAssertFalse(diagnostics.contains { $0.message.contains("secret") && !$0.message.contains(outside.path) })
            let error = try XCTUnwrap(diagnostics.first { $0.severity == .error }, "\(diagnostics.map(\.message))")
            XCTAssertTrue(error.message.contains("top level"), error.message)
        }
    }

    /// A folder inside a repo is not a repo: git would read the enclosing one.
    func testFolderInsideARepoIsRefused() throws {
        let repo = skillRepo()
        repo.write("plain/skills/b/SKILL.md", "---\nname: b\n---\n")
        repo.commit("a plain folder")
        for worktree in [false, true] {
            let diagnostics = try ExtractHarness().failure(rules(repo.path + "/plain", worktree: worktree))
            let error = try XCTUnwrap(diagnostics.first { $0.severity == .error }, "\(diagnostics.map(\.message))")
            XCTAssertTrue(error.message.contains("top level") && error.message.contains(repo.path), error.message)
        }
    }

    /// The check accepts what it should: a repo's top level through a symlink, and a bare repo.
    func testTopLevelThroughASymlinkAndABareRepoAreAccepted() throws {
        let repo = skillRepo()
        let links = TemporaryDirectory("links")
        try FileManager.default.createSymbolicLink(atPath: links.path + "/core", withDestinationPath: repo.path)
        XCTAssertEqual(try ExtractHarness().run(rules(links.path + "/core", worktree: true)).records.count, 1)
        GitFixture.run(["clone", "--quiet", "--bare", repo.path, links.path + "/bare.git"], in: links.path)
        XCTAssertEqual(try ExtractHarness().run(rules(links.path + "/bare.git")).records.count, 1)
    }
}
