@testable import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// A moved commit read on from the records entry this state folder sealed (issue 12): on a straight line of commits
/// only the paths changed since are read, and the result always equals a cold extraction of the same commit. Whatever
/// could make an untouched path's records depend on a changed one sends the repo down the per-file path.
final class SealedDeltaTests: XCTestCase {
    /// Two plugins with skills, every skill under a plugin (so no link warning names the manifest), and a binary skill.
    private func makeLinkedRepo() -> (repo: GitFixture, commits: [String]) {
        let repo = GitFixture("core")
        let (first, second) = commitTwoPlugins(repo)
        repo.write("plugins/alpha/skills/blob/SKILL.md", bytes: [0x2D, 0x00, 0x2D])
        let third = repo.commit("a binary skill")
        return (repo, [first, second, third])
    }

    /// `makeLinkedRepo` extracted once with the plugin and skill rules: its records entry is sealed.
    private func sealedLinkedRepo() throws -> (repo: GitFixture, harness: ExtractHarness, rules: String) {
        let (repo, _) = makeLinkedRepo()
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path)
        _ = try harness.run(rules)
        return (repo, harness, rules)
    }

    /// Commits an edit of skill one and asserts the delta read it alone: the control for the tests of a fallback.
    private func assertReadsOn(_ repo: GitFixture, _ harness: ExtractHarness, _ rules: String, count: Int,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        repo.write("plugins/alpha/skills/one/SKILL.md", "---\nname: one\ncount: \(count)\n---\n# One\n")
        repo.commit("count \(count)")
        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesRead), [1], file: file, line: line)
        XCTAssertEqual(result.repos.map(\.filesReused), [0], "read on from the sealed entry", file: file, line: line)
        try assertEqualsColdExtraction(result, rules, harness: harness, file: file, line: line)
    }

    /// Asserts the run read the repo in full (nothing from the per-file cache, nothing read on) and sealed its entry, as
    /// a repo with no sealed entry is read when the folder has its key; the records are a cold read's.
    private func assertReadInFullAndSealed(_ result: ExtractResult, _ rules: String, _ why: String,
                                           file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(result.repos.map(\.filesReused), [0], "read in full: \(why)", file: file, line: line)
        XCTAssertNil(result.repos.first?.readOn, file: file, line: line)
        XCTAssertNotNil(result.repos.first?.sealedEntry, "sealed", file: file, line: line)
        try assertEqualsColdExtraction(result, rules, file: file, line: line)
    }

    func testAMovedCommitReadsOnlyTheChangedPathsAndIsSealedAgain() throws {
        let (repo, _) = makeLinkedRepo()
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path)
        _ = try harness.run(rules)

        repo.write("plugins/alpha/skills/one/SKILL.md", "---\nname: one\ncount: 9\n---\n")
        repo.write("plugins/beta/skills/three/SKILL.md", "---\nname: three\n---\n")
        repo.remove("plugins/beta/skills/two/SKILL.md")
        let moved = repo.commit("edit one, add three, delete two")
        let result = try harness.run(rules)
        XCTAssertEqual(result.counts, [RepoExtraction(name: "core", commit: moved, cached: false, filesRead: 2, filesReused: 0, recordCount: 4)],
                       "two files read, none answered by the per-file cache")
        XCTAssertEqual(result.repos[0].readNow, ["Skills": ["core:plugins/alpha/skills/one", "core:plugins/beta/skills/three"]],
                       "the records of the changed paths are the ones read now")
        XCTAssertNotNil(result.repos[0].readOn)
        XCTAssertNotEqual(result.repos[0].readOn, result.repos[0].sealedEntry, "read on from the entry of the commit before")
        XCTAssertEqual(result.record("core:plugins/alpha/skills/one")?.fields["Count"], .number(9))
        XCTAssertEqual(result.record("core:plugins/beta/skills/three")?.fields["Plugin"], .list(["core:plugins/beta"]),
                       "a new skill links to a plugin carried over")
        XCTAssertFalse(result.records.contains { $0.key == "core:plugins/beta/skills/two" }, "a removed file's record is gone")
        XCTAssertTrue(result.diagnostics.contains { $0.message == "binary file skipped" }, "a carried file keeps its notes")
        try assertEqualsColdExtraction(result, rules, harness: harness)

        let again = try harness.run(rules)
        XCTAssertEqual(again.repos.map(\.vouched), [true], "records read now or carried from a sealed entry are sealed")
        XCTAssertEqual(again.records, result.records)
        try assertReadsOn(repo, harness, rules, count: 10)
    }

    func testAFileChangedAndRevertedOnTheLineIsReadWithItsNewLastCommit() throws {
        let (repo, commits) = makeLinkedRepo()
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path)
        _ = try harness.run(rules)
        let skill = "plugins/beta/skills/two/SKILL.md"
        repo.write(skill, "---\nname: two changed\n---\n# Two\n")
        repo.commit("change two")
        repo.write(skill, "---\nname: two\n---\n# Two\n")
        let reverted = repo.commit("revert two")

        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesRead), [1], "same blob at both ends, but touched on the line")
        XCTAssertEqual(result.repos.map(\.filesReused), [0])
        XCTAssertEqual(result.record("core:plugins/beta/skills/two")?.fields["Commit"], .text(reverted))
        XCTAssertEqual(result.record("core:plugins/alpha")?.provenance.sourceCommit, commits[0])
        try assertEqualsColdExtraction(result, rules)
    }

    func testAChangedFileOfALinkedTableReadsTheRepoPerFile() throws {
        let (repo, _) = makeLinkedRepo()
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path)
        _ = try harness.run(rules)
        try assertReadsOn(repo, harness, rules, count: 5)
        repo.remove("plugins/beta/.claude-plugin/plugin.json")
        repo.commit("drop the beta plugin")

        let result = try harness.run(rules)
        XCTAssertGreaterThan(result.repos.first?.filesReused ?? 0, 0, "the per-file path, not the delta")
        XCTAssertEqual(result.record("core:plugins/beta/skills/two")?.fields["Plugin"], nil, "an unchanged skill loses its plugin link")
        try assertEqualsColdExtraction(result, rules)
    }

    func testARewoundBranchReadsTheRepoPerFile() throws {
        let (repo, commits) = makeLinkedRepo()
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path)
        _ = try harness.run(rules)
        try assertReadsOn(repo, harness, rules, count: 5)

        repo.git("reset", "-q", "--hard", commits[1])
        let rewound = try harness.run(rules)
        XCTAssertGreaterThan(rewound.repos.first?.filesReused ?? 0, 0, "the entry's commit is no ancestor of this one")
        try assertEqualsColdExtraction(rewound, rules)

    }

    func testAMergeOnTheLineReadsTheRepoPerFile() throws {
        let (repo, _) = makeLinkedRepo()
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path)
        _ = try harness.run(rules)
        try assertReadsOn(repo, harness, rules, count: 5)
        repo.git("checkout", "-q", "-b", "side")
        repo.write("plugins/beta/skills/side/SKILL.md", "---\nname: side\n---\n")
        repo.commit("side")
        repo.git("checkout", "-q", "-")
        repo.write("plugins/beta/skills/main/SKILL.md", "---\nname: main\n---\n")
        repo.commit("main")
        repo.git("merge", "-q", "--no-edit", "side")
        let merged = try harness.run(rules)
        XCTAssertGreaterThan(merged.repos.first?.filesReused ?? 0, 0, "a merge on the line")
        try assertEqualsColdExtraction(merged, rules)

        // The per-file run's entry is not sealed; the next moved commit reads the repo in full and seals it again.
        repo.write("plugins/beta/skills/main/SKILL.md", "---\nname: main again\n---\n")
        repo.commit("main again")
        try assertReadInFullAndSealed(try harness.run(rules), rules, "the per-file run's entry is not sealed")
        try assertReadsOn(repo, harness, rules, count: 6)
    }

    func testASymlinkAmongTheMatchedFilesReadsTheRepoPerFile() throws {
        let repo = GitFixture("core")
        repo.write("plugins/alpha/.claude-plugin/plugin.json", #"{"name": "alpha"}"#)
        repo.write("plugins/alpha/skills/solo/SKILL.md", "---\nname: solo\n---\n")
        repo.symlink("plugins/alpha/skills/alias/SKILL.md", to: "../solo/SKILL.md")
        repo.write("plugins/alpha/skills/other/SKILL.md", "---\nname: other\n---\n")
        repo.commit("solo, its alias, other")
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path)
        _ = try harness.run(rules)

        repo.write("plugins/alpha/skills/solo/SKILL.md", "---\nname: solo renamed\n---\n")
        repo.commit("rename solo")
        let result = try harness.run(rules)
        XCTAssertEqual(result.record("core:plugins/alpha/skills/alias")?.fields["Name"], .text("solo renamed"), "the link's target changed, not the link")
        XCTAssertEqual(result.repos.map(\.filesReused), [2], "the per-file path: plugin.json and other")
        try assertEqualsColdExtraction(result, rules, harness: harness)
    }

    func testAnEntryThisFolderDidNotSealIsNotReadOn() throws {
        let (repo, _) = makeLinkedRepo()
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path)
        _ = try harness.run(rules)
        try assertReadsOn(repo, harness, rules, count: 5)
        // Deleting the key makes every sealed entry ordinary.
        try FileManager.default.removeItem(atPath: harness.state.path + "/" + LocalTrustKey.fileName)
        repo.write("plugins/beta/skills/two/SKILL.md", "---\nname: two again\n---\n")
        repo.commit("edit two")

        // Without a key (a state folder restored without it) the per-file path; its store makes the key.
        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesRead), [2], "two, and one: the delta left the per-file results as they were")
        XCTAssertGreaterThan(result.repos.first?.filesReused ?? 0, 0, "the per-file path")
        try assertEqualsColdExtraction(result, rules)
        XCTAssertTrue(FileManager.default.fileExists(atPath: harness.state.path + "/" + LocalTrustKey.fileName))

        // With the key, no sealed entry: read in full once, sealed, then read on.
        repo.write("plugins/beta/skills/two/SKILL.md", "---\nname: two once more\n---\n")
        repo.commit("edit two again")
        let healed = try harness.run(rules)
        XCTAssertEqual(healed.repos.map(\.filesRead), [5], "every matched file")
        try assertReadInFullAndSealed(healed, rules, "nothing of the unsealed entry or the per-file cache")
        try assertReadsOn(repo, harness, rules, count: 6)
    }

    func testAnEntryAnotherBuildMadeIsReadInFullOnceAndThenReadOn() throws {
        let (repo, _) = makeLinkedRepo()
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path)
        let other = FileExtractCache(stateDirectory: harness.state.path, build: "another build")
        _ = try Extraction(manifest: try ExtractHarness.manifest(rules), stateDirectory: harness.state.path, cache: other).run()
        repo.write("plugins/alpha/skills/one/SKILL.md", "---\nname: one\ncount: 2\n---\n")
        repo.commit("count 2")
        _ = try Extraction(manifest: try ExtractHarness.manifest(rules), stateDirectory: harness.state.path, cache: other).run()

        repo.write("plugins/alpha/skills/one/SKILL.md", "---\nname: one\ncount: 3\n---\n")
        repo.commit("count 3")
        try assertReadInFullAndSealed(try harness.run(rules), rules, "the other build's records are not taken, nor kept per file")
        try assertReadsOn(repo, harness, rules, count: 4)
        try assertReadsOn(repo, harness, rules, count: 5)
    }

    func testALinkWarningKeptByTheEntrySendsTheRepoPerFile() throws {
        let repo = GitFixture("core")
        repo.write("skills/orphan/SKILL.md", "---\nname: orphan\n---\n")
        repo.write("skills/other/SKILL.md", "---\nname: other\n---\n")
        repo.commit("two skills without a plugin")
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path)
        let first = try harness.run(rules)
        XCTAssertTrue(first.diagnostics.contains { $0.message.contains("no 'Plugins' entity") }, "the warning names the manifest, not a path")

        repo.write("skills/orphan/SKILL.md", "---\nname: orphan 2\n---\n")
        repo.commit("edit orphan")
        let result = try harness.run(rules)
        XCTAssertGreaterThan(result.repos.first?.filesReused ?? 0, 0, "the per-file path")
        try assertEqualsColdExtraction(result, rules)
    }

    func testAChangedFileWithTheKeyOfACarriedRecordIsADuplicateAsInAFullRead() throws {
        let (repo, _) = makeLinkedRepo()
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path, skillsExtra: """
                  - table: Skills
                    files: ["**/skill.json"]
                    as: json
                    root: .
                    fields: {Name: name}
            """)
        _ = try harness.run(rules)
        try assertReadsOn(repo, harness, rules, count: 5)
        repo.write("plugins/beta/skills/two/skill.json", #"{"name": "two as json"}"#)
        repo.commit("a second file with skill two's key")

        let problems = try harness.failure(rules)
        XCTAssertTrue(problems.contains { $0.message.contains("duplicate key 'core:plugins/beta/skills/two'") }, "\(problems)")
        let cold = try ExtractHarness().failure(rules)
        XCTAssertEqual(problems, cold)
    }

    /// The full record list (keys, fields, links, provenance) and the diagnostics equal those of a run without any cache,
    /// and the records entry `harness` holds now is the one a cold read stores (its sources, records and diagnostics).
    private func assertEqualsColdExtraction(_ result: ExtractResult, _ rules: String, harness: ExtractHarness? = nil,
                                            file: StaticString = #filePath, line: UInt = #line) throws {
        let cold = try ExtractHarness().run(rules, cache: false)
        XCTAssertEqual(result.records, cold.records, file: file, line: line)
        XCTAssertEqual(result.diagnostics, cold.diagnostics, file: file, line: line)
        guard let harness else { return }
        let fresh = ExtractHarness()
        _ = try fresh.run(rules)
        let entry = try storedEntry(harness), coldEntry = try storedEntry(fresh)
        XCTAssertEqual(entry.commit, coldEntry.commit, file: file, line: line)
        XCTAssertEqual(entry.sources, coldEntry.sources, "the sources a full listing matches, in tree order", file: file, line: line)
        // A delta's entry holds the carried records first, then the ones read now.
        let sorted = { (records: [DesiredRecord]) in records.sorted { ($0.table, $0.key) < ($1.table, $1.key) } }
        XCTAssertEqual(sorted(entry.records), sorted(coldEntry.records), file: file, line: line)
        XCTAssertEqual(entry.diagnostics.sorted(), coldEntry.diagnostics.sorted(), file: file, line: line)
    }

    /// The records entry of repo `core` in the harness's state folder, as stored.
    private func storedEntry(_ harness: ExtractHarness) throws -> CachedExtraction {
        let cache = FileExtractCache(stateDirectory: harness.state.path)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: cache.path(for: "core")))
        let parsed = try JSONParser.parse([UInt8](bytes))
        let fingerprint = try XCTUnwrap(parsed["fingerprint"]?.stringValue), commit = try XCTUnwrap(parsed["commit"]?.stringValue)
        return try XCTUnwrap(cache.load(repo: "core", commit: commit, fingerprint: fingerprint))
    }

    /// Paths that sort before, between and after the sealed ones, byte by byte (`a.b` before `a/`, `-` before `.`), added,
    /// edited and removed in one commit: the next entry's sources are the sealed ones with the changes merged in tree order.
    func testTheSourcesOfAnEntryReadOnAreThoseOfAFullListing() throws {
        let (repo, harness, rules) = try sealedLinkedRepo()
        repo.write("plugins/alpha/skills/a.b/SKILL.md", "---\nname: a.b\n---\n")
        repo.write("plugins/alpha/skills/a-b/SKILL.md", "---\nname: a-b\n---\n")
        repo.write("plugins/alpha/skills/a/SKILL.md", "---\nname: a\n---\n")
        repo.write("plugins/alpha/skills/one/SKILL.md", "---\nname: one\ncount: 8\n---\n")
        repo.write("plugins/beta/skills/zz/SKILL.md", "---\nname: zz\n---\n")
        repo.write("plugins/alpha/notes.txt", "not matched\n")
        repo.remove("plugins/beta/skills/two/SKILL.md")
        repo.commit("add around, edit one, remove two")
        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesRead), [5], "read on from the sealed entry: the five changed files a rule wants")
        XCTAssertEqual(result.repos.map(\.filesReused), [0])
        try assertEqualsColdExtraction(result, rules, harness: harness)
        try assertReadsOn(repo, harness, rules, count: 11)
        try assertEqualsColdExtraction(try harness.run(rules), rules, harness: harness)
    }

    /// An executable bit set and a gitlink at a matched path: a full listing reads the one as a file and drops the other.
    func testAModeChangeAndAGitlinkAreListedAsInAFullRead() throws {
        let (repo, harness, rules) = try sealedLinkedRepo()
        let skill = repo.path + "/plugins/beta/skills/two/SKILL.md"
        XCTAssertEqual(chmod(skill, 0o755), 0)
        let head = repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        // An unpopulated submodule: its folder is there and empty, so `add --all` keeps the gitlink.
        try FileManager.default.createDirectory(atPath: repo.path + "/plugins/alpha/skills/sub/SKILL.md", withIntermediateDirectories: true)
        _ = repo.git("update-index", "--add", "--cacheinfo", "160000,\(head),plugins/alpha/skills/sub/SKILL.md")
        repo.commit("two made executable, a gitlink")
        XCTAssertTrue(repo.git("ls-tree", "-r", "HEAD").contains("160000 commit"), "the gitlink is in the tree")
        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesRead), [1], "read on: the executable skill read again")
        XCTAssertEqual(result.repos.map(\.filesReused), [0])
        XCTAssertNotNil(result.record("core:plugins/beta/skills/two"))
        try assertEqualsColdExtraction(result, rules, harness: harness)
    }

    /// A changed file over the size limit is skipped with the note a full read gives it: its size comes from git, not the listing.
    func testAChangedFileOverTheSizeLimitIsSkippedAsInAFullRead() throws {
        let (repo, _) = makeLinkedRepo()
        let harness = ExtractHarness()
        let rules = pluginAndSkillRules(path: repo.path)
        let manifest = try ExtractHarness.manifest(rules)
        let limits = ExtractLimits(maximumFileSize: 200, symlinkHops: 8)
        func run() throws -> ExtractResult {
            try Extraction(manifest: manifest, stateDirectory: harness.state.path, cache: harness.cache, limits: limits).run()
        }
        _ = try run()
        repo.write("plugins/alpha/skills/one/SKILL.md", "---\nname: one\ncount: 12\n---\n" + String(repeating: "long line\n", count: 30))
        repo.write("plugins/beta/skills/two/SKILL.md", "---\nname: two\ncount: 12\n---\n")
        repo.commit("one too large, two edited")
        let result = try run()
        XCTAssertEqual(result.repos.map(\.filesRead), [1], "read on: two read, one skipped for its size")
        XCTAssertEqual(result.repos.map(\.filesReused), [0])
        XCTAssertTrue(result.diagnostics.contains { $0.message.contains("larger than the 200-byte limit") }, "\(result.diagnostics)")
        XCTAssertFalse(result.records.contains { $0.key == "core:plugins/alpha/skills/one" })
        let cold = try Extraction(manifest: manifest, stateDirectory: TemporaryDirectory("recon-state").path, cache: nil, limits: limits).run()
        XCTAssertEqual(result.records, cold.records)
        XCTAssertEqual(result.diagnostics, cold.diagnostics)
    }

    /// A file made a symlink on the line: a matched symlink, changed or not, sends the repo per file.
    func testAFileMadeASymlinkReadsTheRepoPerFile() throws {
        let (repo, harness, rules) = try sealedLinkedRepo()
        repo.remove("plugins/beta/skills/two/SKILL.md")
        repo.symlink("plugins/beta/skills/two/SKILL.md", to: "../../../alpha/skills/one/SKILL.md")
        repo.commit("two points at one")
        let result = try harness.run(rules)
        XCTAssertGreaterThan(result.repos.first?.filesReused ?? 0, 0, "the per-file path")
        XCTAssertEqual(result.record("core:plugins/beta/skills/two")?.fields["Name"], .text("one"))
        try assertEqualsColdExtraction(result, rules, harness: harness)
    }

    /// Twins `K` and the Kelvin sign (equal as Swift strings) are refused while both are there; with one deleted on the
    /// line, the other is read as a full read reads it, whichever it is. Any name past ASCII in the tree or among the
    /// changed paths goes per file. (`A` sorts before both, so the entry's sources, the Kelvin one shown escaped, are in order.)
    func testANamePastASCIIReadsTheRepoPerFile() throws {
        let repo = GitFixture("core")
        let kelvin = "docs/\u{212A}/SKILL.md"
        repo.write("docs/A/SKILL.md", "---\nname: a\n---\n")
        repo.write("docs/K/SKILL.md", "---\nname: ascii\n---\n")
        repo.write(kelvin, "---\nname: kelvin\n---\n")
        repo.commit("twins and another skill")
        let rules = """
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Skills, files: ["docs/*/SKILL.md"], as: frontmatter, root: ., on_error: skip, fields: {Name: name}}

            """
        for (kept, deleted) in [("K", kelvin), ("\u{212A}", "docs/K/SKILL.md")] {
            let harness = ExtractHarness()
            let first = try harness.run(rules)
            XCTAssertEqual(first.records.map(\.key), ["core:docs/A"], "both twins refused")
            XCTAssertNotNil(first.repos.first?.sealedEntry, "the entry is sealed")

            let content = try XCTUnwrap(FileManager.default.contents(atPath: repo.path + "/" + deleted))
            repo.remove(deleted)
            repo.commit("one twin deleted")
            let result = try harness.run(rules)
            XCTAssertGreaterThan(result.repos.first?.filesReused ?? 0, 0, "the per-file path")
            XCTAssertEqual(result.records.map(\.key).sorted(), ["core:docs/A", "core:docs/\(kept)"], "\(kept) is no twin any more")
            try assertEqualsColdExtraction(result, rules, harness: harness)
            repo.write(deleted, bytes: [UInt8](content))
            repo.commit("the twin back")
        }

        let harness = ExtractHarness()
        repo.write("docs/caf\u{E9}/SKILL.md", "---\nname: cafe\n---\n")
        repo.commit("a name past ASCII")
        _ = try harness.run(rules)
        repo.write("docs/A/SKILL.md", "---\nname: a 2\n---\n")
        repo.commit("edit A")
        let edited = try harness.run(rules)
        XCTAssertGreaterThan(edited.repos.first?.filesReused ?? 0, 0, "a name past ASCII elsewhere in the tree: the per-file path")
        try assertEqualsColdExtraction(edited, rules, harness: harness)
    }

    // MARK: An entry a delta made: the next delta lists only the changed paths

    /// A full read's entry is not plain (its next delta lists the whole tree); an entry a delta made is, and the deltas
    /// after it, listing only the changed paths, still equal a cold extraction.
    func testAnEntryADeltaMadeIsPlainAndTheNextDeltaEqualsAColdRead() throws {
        let (repo, harness, rules) = try sealedLinkedRepo()
        XCTAssertFalse(try storedEntry(harness).plainTree, "a full read's entry: the next delta lists the whole tree")
        try assertReadsOn(repo, harness, rules, count: 20)
        XCTAssertTrue(try storedEntry(harness).plainTree, "a delta's entry")
        try assertReadsOn(repo, harness, rules, count: 21)
        repo.write("plugins/beta/skills/four/SKILL.md", "---\nname: four\n---\n")
        repo.remove("plugins/beta/skills/two/SKILL.md")
        repo.commit("four added, two removed")
        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesReused), [0], "read on from the plain entry")
        XCTAssertEqual(result.repos.map(\.filesRead), [1])
        try assertEqualsColdExtraction(result, rules, harness: harness)
        XCTAssertTrue(try storedEntry(harness).plainTree)
    }

    /// Listing only the named paths: a name past ASCII or a symlink elsewhere in the tree is not seen (which is why only
    /// a plain entry's delta asks for it), and a name is matched as it is, never as pathspec magic or a glob.
    func testTheSparseListingNamesOnlyTheGivenPathsLiterally() throws {
        let repo = GitFixture("core")
        repo.write("docs/caf\u{E9}/SKILL.md", "x\n")
        repo.symlink("docs/link/SKILL.md", to: "../a/SKILL.md")
        repo.write("docs/a/SKILL.md", "a\n")
        repo.write("docs/b/SKILL.md", "b\n")
        repo.write(":(exclude)docs/SKILL.md", "magic\n")
        repo.write("*/SKILL.md", "glob\n")
        let commit = repo.commit("names")
        let repository = GitRepository(directory: repo.path)
        let asked: Set<ArraySlice<UInt8>> = Set([":(exclude)docs/SKILL.md", "*/SKILL.md", "docs/a/SKILL.md"].map { Array($0.utf8)[...] })
        XCTAssertNil(try repository.sparseTree(at: commit, paths: asked), "the whole tree holds a name past ASCII")
        let listed = try XCTUnwrap(try repository.sparseTree(at: commit, paths: asked, listingOnlyPaths: true))
        XCTAssertEqual(listed.entries.map(\.path).sorted(), ["*/SKILL.md", ":(exclude)docs/SKILL.md", "docs/a/SKILL.md"])
        XCTAssertEqual(listed.symlinks, [], "the symlink is not among the paths")
        let link = try XCTUnwrap(try repository.sparseTree(at: commit, paths: [Array("docs/link/SKILL.md".utf8)[...]], listingOnlyPaths: true))
        XCTAssertEqual(link.symlinks, ["docs/link/SKILL.md"], "a named symlink is reported")
    }

    /// After a plain entry, a changed file made a symlink is seen by the sparse listing: the per-file path.
    func testAFileMadeASymlinkAfterAPlainEntryReadsTheRepoPerFile() throws {
        let (repo, harness, rules) = try sealedLinkedRepo()
        try assertReadsOn(repo, harness, rules, count: 20)
        XCTAssertTrue(try storedEntry(harness).plainTree)
        repo.remove("plugins/beta/skills/two/SKILL.md")
        repo.symlink("plugins/beta/skills/two/SKILL.md", to: "../../../alpha/skills/one/SKILL.md")
        repo.commit("two points at one")
        let result = try harness.run(rules)
        XCTAssertGreaterThan(result.repos.first?.filesReused ?? 0, 0, "the per-file path")
        XCTAssertEqual(result.record("core:plugins/beta/skills/two")?.fields["Name"], .text("one"))
        try assertEqualsColdExtraction(result, rules, harness: harness)
        XCTAssertFalse(try storedEntry(harness).plainTree, "a per-file read's entry is not plain")
    }

    /// After a plain entry, a name past ASCII added goes per file, and the entry made then is neither plain nor sealed, so
    /// a later edit elsewhere reads the repo in full (sealed again), and the one after goes per file while the name is there.
    func testANamePastASCIIAddedAfterAPlainEntryReadsTheRepoPerFile() throws {
        let (repo, harness, rules) = try sealedLinkedRepo()
        try assertReadsOn(repo, harness, rules, count: 20)
        repo.write("plugins/beta/skills/caf\u{E9}/SKILL.md", "---\nname: cafe\n---\n")
        repo.commit("a name past ASCII")
        let added = try harness.run(rules)
        XCTAssertGreaterThan(added.repos.first?.filesReused ?? 0, 0, "the per-file path")
        try assertEqualsColdExtraction(added, rules, harness: harness)
        XCTAssertFalse(try storedEntry(harness).plainTree)
        repo.write("plugins/alpha/skills/one/SKILL.md", "---\nname: one\ncount: 30\n---\n")
        repo.commit("edit one")
        let edited = try harness.run(rules)
        XCTAssertEqual(edited.repos.map(\.filesReused), [0], "no sealed entry: read in full")
        XCTAssertNotNil(edited.repos.first?.sealedEntry)
        try assertEqualsColdExtraction(edited, rules, harness: harness)
        repo.write("plugins/alpha/skills/one/SKILL.md", "---\nname: one\ncount: 31\n---\n")
        repo.commit("edit one again")
        let again = try harness.run(rules)
        XCTAssertGreaterThan(again.repos.first?.filesReused ?? 0, 0, "the name past ASCII is still in the tree")
        try assertEqualsColdExtraction(again, rules, harness: harness)
    }

    /// A skill whose folder is named like pathspec magic, edited after a plain entry: read as the file it is.
    func testAChangedPathNamedLikePathspecMagicIsReadAsItIs() throws {
        let repo = GitFixture("core")
        repo.write(":(exclude)x/SKILL.md", "---\nname: magic\n---\n")
        repo.write("plain/SKILL.md", "---\nname: plain\n---\n")
        repo.commit("two skills")
        let rules = """
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Skills, files: ["*/SKILL.md"], as: frontmatter, root: ., on_error: skip, fields: {Name: name}}

            """
        let harness = ExtractHarness()
        _ = try harness.run(rules)
        repo.write("plain/SKILL.md", "---\nname: plain 2\n---\n")
        repo.commit("edit plain")
        _ = try harness.run(rules)
        XCTAssertTrue(try storedEntry(harness).plainTree, "a delta's entry")
        repo.write(":(exclude)x/SKILL.md", "---\nname: magic 2\n---\n")
        repo.commit("edit magic")
        let result = try harness.run(rules)
        XCTAssertEqual(result.repos.map(\.filesReused), [0], "read on from the plain entry")
        XCTAssertEqual(result.record("core::(exclude)x")?.fields["Name"], .text("magic 2"))
        try assertEqualsColdExtraction(result, rules, harness: harness)
    }

    /// Commits HEAD's tree plus a hostile tree fsck refuses and fetch takes: `top/<component>/SKILL.md`, or with no
    /// `top` a folder named `component` at the root (`evil/./SKILL.md`, `../SKILL.md`).
    private func commitHostileTree(_ repo: GitFixture, top: String?, component: String) {
        let blob = repo.git(["hash-object", "-w", "--stdin"], input: Array("---\nname: evil\n---\n".utf8))
        let inner = repo.git(["mktree"], input: Array("100644 blob \(blob)\tSKILL.md\n".utf8))
        var listing = repo.git("ls-tree", "HEAD")
        if let top {
            var raw = Array("40000 \(component)".utf8) + [0]
            var hex = inner[...]
            while !hex.isEmpty { raw.append(UInt8(hex.prefix(2), radix: 16)!); hex = hex.dropFirst(2) }
            let dotted = repo.git(["hash-object", "-t", "tree", "-w", "--literally", "--stdin"], input: raw)
            listing += "040000 tree \(dotted)\t\(top)\n"
        } else {
            listing += "040000 tree \(inner)\t\(component)\n"
        }
        let root = repo.git(["mktree", "--missing"], input: Array(listing.utf8))
        let date = "\(GitFixture.epoch + 100 * 3600) +0000"
        let commit = repo.git("commit-tree", root, "-p", "HEAD", "-m", "hostile", environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
        repo.git("update-ref", "HEAD", commit.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// git normalizes `.` and `..` in a name it is given, literal or not: such a changed path is found in the full
    /// listing (found in review: `evil/./SKILL.md` was asked for as `evil/SKILL.md`, `../SKILL.md` stopped the run).
    func testAChangedPathWithADotComponentIsListedInFullAfterAPlainEntry() throws {
        for (top, component) in [("evil", "."), ("evil", ".."), (nil, "..")] as [(String?, String)] {
            let (repo, harness, rules) = try sealedLinkedRepo()
            try assertReadsOn(repo, harness, rules, count: 20)
            XCTAssertTrue(try storedEntry(harness).plainTree)
            commitHostileTree(repo, top: top, component: component)
            let result = try harness.run(rules)
            try assertEqualsColdExtraction(result, rules, harness: harness)
        }
    }
}
