import Extract
import Foundation
import Manifest
import ReconCore
import TestSupport
import XCTest

/// Builds manifests around real fixture repos and runs the real extraction.
struct ExtractHarness {
    let state = TemporaryDirectory("recon-state")
    /// False for tests of the per-file cache: a moved commit is not read on from the sealed records entry.
    var readsOnFromSealedEntries = true

    /// Tables most tests share; `repos` is the YAML of the repos section.
    static let schema = """
        tables:
          - name: Plugins
            key: Key
            fields:
              - {name: Key, type: singleLineText}
              - {name: Name, type: singleLineText}
              - {name: Version, type: singleLineText}
              - {name: Commit, type: singleLineText}
          - name: Skills
            key: Key
            fields:
              - {name: Key, type: singleLineText}
              - {name: Name, type: singleLineText}
              - {name: Plugin, type: multipleRecordLinks, table: Plugins}
              - {name: Count, type: number}
              - {name: Enabled, type: checkbox}
              - {name: Level, type: singleSelect, choices: [low, high]}
              - {name: Tags, type: multipleSelects, choices: [a, b, c]}
              - {name: Title, type: singleLineText}
              - {name: Commit, type: singleLineText}

        """

    static func manifest(_ repos: String, schema: String = schema) throws -> Manifest {
        try ManifestLoader().load(sources: [("manifest.yaml", Array((schema + repos).utf8))])
    }

    func run(_ repos: String, schema: String = ExtractHarness.schema, cache: Bool = true) throws -> ExtractResult {
        let manifest = try ExtractHarness.manifest(repos, schema: schema)
        return try Extraction(manifest: manifest, stateDirectory: state.path, cache: cache ? self.cache : nil).run()
    }

    /// The real cache of the state folder; without `loadSealed` when `readsOnFromSealedEntries` is false.
    var cache: any ExtractCache {
        readsOnFromSealedEntries ? FileExtractCache(stateDirectory: state.path) : PerFileOnlyCache(base: FileExtractCache(stateDirectory: state.path))
    }

    /// Runs and returns the diagnostics of a run that must fail.
    func failure(_ repos: String, schema: String = ExtractHarness.schema, file: StaticString = #filePath, line: UInt = #line) throws -> [Diagnostic] {
        let manifest = try ExtractHarness.manifest(repos, schema: schema)
        do {
            _ = try Extraction(manifest: manifest, stateDirectory: state.path, cache: cache).run()
            XCTFail("expected the extraction to fail", file: file, line: line)
            return []
        } catch {
            return error.diagnostics
        }
    }
}

/// `FileExtractCache` as an `ExtractCache` that keeps no sealed entries to read a moved commit on from (the protocol's
/// default `loadSealed`), so a moved commit takes the per-file path.
struct PerFileOnlyCache: ExtractCache {
    let base: FileExtractCache

    func load(repo: String, commit: String, fingerprint: String) -> CachedExtraction? { base.load(repo: repo, commit: commit, fingerprint: fingerprint) }
    func store(_ extraction: CachedExtraction) throws { try base.store(extraction) }
    func loadFiles(repo: String, fingerprint: String) -> CachedFiles? { base.loadFiles(repo: repo, fingerprint: fingerprint) }
    func prepareFiles(_ files: CachedFiles) throws -> PreparedFile? { try base.prepareFiles(files) }
}

extension ExtractResult {
    func record(_ key: String, file: StaticString = #filePath, line: UInt = #line) -> DesiredRecord? {
        let found = records.first { $0.key == key }
        if found == nil { XCTFail("no record \(key); have \(records.map(\.key))", file: file, line: line) }
        return found
    }
}

/// Plugin alpha with skill one, then plugin beta with skill two: the first two commits of the test repos below.
func commitTwoPlugins(_ repo: GitFixture) -> (first: String, second: String) {
    repo.write("plugins/alpha/.claude-plugin/plugin.json", #"{"name": "alpha", "version": "1.0.0"}"#)
    repo.write("plugins/alpha/skills/one/SKILL.md", "---\nname: one\ncount: 3\n---\n# One\n")
    let first = repo.commit("alpha")
    repo.write("plugins/beta/.claude-plugin/plugin.json", #"{"name": "beta", "version": "2.0.0"}"#)
    repo.write("plugins/beta/skills/two/SKILL.md", "---\nname: two\n---\n# Two\n")
    return (first, repo.commit("beta"))
}

/// A plugin repo used by several tests: two plugins with skills, one standalone skill, three commits.
func makeCatalogRepo() -> (repo: GitFixture, commits: [String]) {
    let repo = GitFixture("core")
    let (first, second) = commitTwoPlugins(repo)
    repo.write("plugins/alpha/skills/one/SKILL.md", "---\nname: one\ncount: 4\n---\n# One\n")
    repo.write("skills/solo/SKILL.md", "---\nname: solo\n---\n")
    let third = repo.commit("edit one, add solo")
    return (repo, [first, second, third])
}

func pluginAndSkillRules(path: String, skillsExtra: String = "") -> String {
    """
    repos:
      - name: core
        path: \(path)
        extract:
          - table: Plugins
            files: ["plugins/*/.claude-plugin/plugin.json"]
            as: json
            root: ..
            fields: {Name: name, Version: version, Commit: $commit}
          - table: Skills
            files: ["**/SKILL.md"]
            as: frontmatter
            root: .
            fields:
              Name: name
              Count: count
              Commit: $commit
              Plugin: {link: Plugins, by: ancestor}
    \(skillsExtra)
    """
}
