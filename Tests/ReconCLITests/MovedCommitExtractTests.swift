import Foundation
import TestSupport
import XCTest

/// Through the real binary: when the commit moves, extraction reuses what unchanged files produced, and what it
/// prints and caches is byte for byte what a cold extraction of the new commit prints and caches (issue 12).
final class MovedCommitExtractTests: XCTestCase {
    private let project = TemporaryDirectory("moved-commit")
    private let repo = GitFixture("catalog")

    override func setUp() {
        super.setUp()
        project.write("manifests/catalog.yaml", """
            tables:
              - name: Plugins
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
                  - {name: Commit, type: singleLineText}
              - name: Skills
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
                  - {name: Weight, type: number}
                  - {name: Plugin, type: multipleRecordLinks, table: Plugins}
                  - {name: Related, type: multipleRecordLinks, table: Skills}
                  - {name: Commit, type: singleLineText}
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Plugins, files: ["plugins/*/plugin.json"], as: json, root: ., fields: {Name: name, Commit: $commit}}
                  - table: Skills
                    files: ["plugins/*/skills/*/SKILL.md"]
                    as: frontmatter
                    root: .
                    on_error: skip
                    fields: {Name: name, Weight: weight, Plugin: {link: Plugins, by: ancestor}, Related: {link: Skills, from: related}}
                  - {table: Skills, files: ["loose/*.md"], as: frontmatter, fields: {Name: name, Commit: $commit}}
            """)
    }

    func testAMovedCommitExtractsExactlyWhatAColdRunDoes() throws {
        for plugin in ["alpha", "beta", "gamma"] {
            repo.write("plugins/\(plugin)/plugin.json", #"{"name": "\#(plugin)"}"#)
            for index in 0..<4 {
                repo.write("plugins/\(plugin)/skills/s\(index)/SKILL.md", skill("\(plugin)-\(index)", weight: index))
            }
        }
        repo.write("loose/a.md", "---\nname: loose a\n---\n")
        repo.write("loose/b.md", "---\nname: loose b\n---\n")
        repo.commit("three plugins")
        try assertMatchesColdExtraction("first run", reuses: false)

        let steps: [(String, () -> Void)] = [
            ("edit one skill", { self.repo.write("plugins/alpha/skills/s1/SKILL.md", self.skill("alpha-1 edited", weight: 9)) }),
            ("add a skill linking an unchanged one", {
                self.repo.write("plugins/beta/skills/s9/SKILL.md", self.skill("beta-9", weight: 1, related: "plugins/alpha/skills/s2"))
            }),
            ("delete the skill another links to, which becomes an error it skips", { self.repo.remove("plugins/alpha/skills/s2/SKILL.md") }),
            ("rename a skill", {
                self.repo.remove("plugins/gamma/skills/s3/SKILL.md")
                self.repo.write("plugins/gamma/skills/s30/SKILL.md", self.skill("gamma-3", weight: 3))
            }),
            ("remove a plugin: its unchanged skills lose their link", { self.repo.remove("plugins/beta/plugin.json") }),
            ("bring it back", { self.repo.write("plugins/beta/plugin.json", #"{"name": "beta again"}"#) }),
            ("a file becomes a symlink to another", {
                self.repo.remove("plugins/gamma/skills/s0/SKILL.md")
                self.repo.symlink("plugins/gamma/skills/s0/SKILL.md", to: "../s1/SKILL.md")
            }),
            ("a file becomes binary", { self.repo.write("plugins/gamma/skills/s2/SKILL.md", bytes: [0x2D, 0x00, 0x2D]) }),
            ("edit a file and revert it: same blob, new last commit", {
                self.repo.write("loose/a.md", "---\nname: loose a, for a moment\n---\n")
                self.repo.commit("edit loose a")
                self.repo.write("loose/a.md", "---\nname: loose a\n---\n")
            }),
            ("touch nothing that matches", { self.repo.write("README.md", "hello\n") }),
        ]
        for (what, change) in steps {
            change()
            repo.commit(what)
            try assertMatchesColdExtraction(what)
        }
    }

    func testAnEditedPerFileCacheIsStillReadBackAndCaught() throws {
        repo.write("plugins/alpha/plugin.json", #"{"name": "alpha"}"#)
        repo.write("plugins/alpha/skills/s0/SKILL.md", skill("zero", weight: 0))
        repo.write("plugins/alpha/skills/s1/SKILL.md", skill("one", weight: 1))
        repo.commit("alpha")
        XCTAssertEqual(try recon("extract", "--format", "json").status, 0)

        // A planted value in an unchanged file's entry is what the reuse serves (apply then re-reads; see
        // DesiredExtraction); an entry that no longer parses is a miss and the repo is read in full.
        let path = project.path + "/state/cache/extract/core.files.json"
        let planted = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: #""Name":"one""#, with: #""Name":"planted""#)
        try planted.write(toFile: path, atomically: true, encoding: .utf8)
        repo.write("plugins/alpha/skills/s0/SKILL.md", skill("zero edited", weight: 0))
        repo.commit("edit zero")
        let reused = try recon("extract", "--format", "json")
        XCTAssertEqual(reused.status, 0, reused.stderr)
        XCTAssertTrue(reused.stdout.contains("planted"), reused.stdout)

        try Data("{ damaged".utf8).write(to: URL(fileURLWithPath: path))
        repo.write("plugins/alpha/skills/s0/SKILL.md", skill("zero again", weight: 0))
        repo.commit("edit zero again")
        try assertMatchesColdExtraction("a damaged per-file cache", reuses: false)
    }

    // MARK: - Helpers

    private func skill(_ name: String, weight: Int, related: String? = nil) -> String {
        "---\nname: \(name)\nweight: \(weight)\n\(related.map { "related: \($0)\n" } ?? "")---\nBody of \(name).\n"
    }

    private func recon(_ arguments: String...) throws -> ReconProcess.Result {
        try ReconProcess.run(["-m", "manifests"] + arguments, in: project.path)
    }

    /// `recon extract --format json` with the project's cache equals the same command on an empty state folder,
    /// and so do the per-file caches the two runs leave.
    private func assertMatchesColdExtraction(_ step: String, reuses: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        let warm = try recon("extract", "--format", "json")
        let coldState = TemporaryDirectory("moved-commit-cold")
        let cold = try recon("extract", "--format", "json", "--state", coldState.path + "/recon.state.json")
        XCTAssertEqual(warm.status, 0, "\(step): \(warm.stderr)", file: file, line: line)
        XCTAssertEqual(cold.status, 0, "\(step): \(cold.stderr)", file: file, line: line)
        XCTAssertFalse(warm.stdout.isEmpty, step, file: file, line: line)
        // Only the counts of files read and reused may differ.
        let counts = #""files_re(ad|used)": *\d+"#
        XCTAssertEqual(warm.stdout.replacingOccurrences(of: counts, with: "", options: .regularExpression),
                       cold.stdout.replacingOccurrences(of: counts, with: "", options: .regularExpression), step, file: file, line: line)
        XCTAssertEqual(warm.stderr, cold.stderr, step, file: file, line: line)
        XCTAssertEqual(warm.stdout.range(of: #""files_reused": *0\b"#, options: .regularExpression) == nil, reuses, step, file: file, line: line)
        let warmCache = FileManager.default.contents(atPath: project.path + "/state/cache/extract/core.files.json")
        let coldCache = FileManager.default.contents(atPath: coldState.path + "/cache/extract/core.files.json")
        XCTAssertNotNil(coldCache, step, file: file, line: line)
        XCTAssertEqual(warmCache, coldCache, "\(step): the per-file caches differ", file: file, line: line)
    }
}
