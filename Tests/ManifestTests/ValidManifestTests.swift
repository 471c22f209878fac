import ReconCore
import TestSupport
import XCTest
@testable import Manifest

final class ValidManifestTests: XCTestCase {
    private let folder = Golden.folder() + "/Fixtures/valid/catalog"

    private func load() throws -> Manifest {
        try ManifestLoader().load(directory: folder)
    }

    func testFilesAreMergedInNameOrder() throws {
        let manifest = try load()
        XCTAssertEqual(manifest.files.map { ($0 as NSString).lastPathComponent },
                       ["policy.yaml", "repos.yaml", "schema.yaml", "target.yaml"])
        XCTAssertEqual(manifest.tables.map(\.name), ["Plugins", "Skills"])
        XCTAssertEqual(manifest.repos.map(\.name), ["core", "extra"])
        XCTAssertEqual(manifest.digest.count, 64)
    }

    func testTargetAndPolicies() throws {
        let manifest = try load()
        XCTAssertEqual(manifest.target.kind, .sqlite(database: "state/catalog.sqlite"))
        XCTAssertEqual(manifest.retention, RetentionPolicy(backupsKeepLast: 20, backupsMaxAgeDays: 90, runsKeepLast: 500, stateVersionsKeepLast: 50))
        XCTAssertEqual(manifest.policy, PlanPolicy(drift: .report, conflict: .fail))
        XCTAssertEqual(manifest.protectedFields(of: "Skills"), ["Status", "Notes"])
        XCTAssertEqual(manifest.protectedFields(of: "Plugins"), [])
    }

    func testEveryFieldTypeDecodes() throws {
        let skills = try XCTUnwrap(try load().table(named: "Skills"))
        XCTAssertEqual(skills.key.value, "Key")
        XCTAssertEqual(skills.onDelete, .archive)
        XCTAssertEqual(skills.archiveField?.value, "Archived")
        let types = Dictionary(uniqueKeysWithValues: skills.fields.map { ($0.name, $0.type) })
        XCTAssertEqual(types["Plugin"], .multipleRecordLinks(table: "Plugins"))
        XCTAssertEqual(types["Score"], .number(precision: 2))
        XCTAssertEqual(types["Reviewed On"], .date)
        XCTAssertEqual(types["Updated At"], .dateTime)
        XCTAssertEqual(types["Tags"], .multipleSelects(choices: ["agent", "tool", "no"]), "'no' stays text")
        XCTAssertEqual(types["Status"], .singleSelect(choices: ["Draft", "Reviewed", "Published"]))
        XCTAssertEqual(types["Archived"], .checkbox)
    }

    func testMergeKeysAndAnchorsFeedFields() throws {
        let plugins = try XCTUnwrap(try load().table(named: "Plugins"))
        XCTAssertEqual(plugins.field(named: "Name")?.type, .singleLineText)
        XCTAssertEqual(plugins.field(named: "Homepage")?.type, .url)
        XCTAssertEqual(plugins.field(named: "Owner")?.type, .email)
    }

    func testReposAndExtractRules() throws {
        let manifest = try load()
        let core = manifest.repos[0]
        XCTAssertEqual(core.source, .path("../catalog-core"))
        XCTAssertEqual(core.ref, "main")
        XCTAssertEqual(core.extract.count, 2)
        let plugins = core.extract[0]
        XCTAssertEqual(plugins.format, .json)
        XCTAssertEqual(plugins.root, "..")
        XCTAssertEqual(plugins.files, ["plugins/*/.claude-plugin/plugin.json"])
        let owner = try XCTUnwrap(plugins.fields.first { $0.field.value == "Owner" })
        guard case .keyPath(let path) = owner.source else { return XCTFail("Owner should map a key path") }
        XCTAssertEqual(path, ["author", "email"])

        let skills = core.extract[1]
        XCTAssertEqual(skills.onError, .skip)
        XCTAssertEqual(skills.exclude, ["drafts/**"])
        let sources = Dictionary(uniqueKeysWithValues: skills.fields.map { ($0.field.value, $0.source) })
        guard case .builtin(.commit) = sources["Source Commit"] else { return XCTFail("Source Commit should be $commit") }
        guard case .builtin(.summary) = sources["Description"] else { return XCTFail("Description should be $summary") }
        guard case .link(let link) = sources["Plugin"] else { return XCTFail("Plugin should be a link") }
        XCTAssertEqual(link.table.value, "Plugins")
        XCTAssertEqual(link.by, .ancestor)
        guard case .constant(let node) = sources["Status"] else { return XCTFail("Status should be a constant") }
        XCTAssertEqual(node.scalar, "Draft")

        let extra = manifest.repos[1]
        XCTAssertEqual(extra.source, .url("file:///srv/git/extra.git"))
        XCTAssertEqual(extra.ref, "HEAD")
        XCTAssertEqual(extra.extract[0].files, ["skills/*/SKILL.md"], "a single pattern is a list of one")
        guard case .link(let byKey) = extra.extract[0].fields.first(where: { $0.field.value == "Plugin" })?.source else {
            return XCTFail("Plugin should be a link")
        }
        XCTAssertEqual(byKey.by, .keyPath(["plugin"]))
    }

    func testDefaultsWhenSectionsAreOmitted() throws {
        let text = "tables: [{name: A, key: K, fields: [{name: K, type: singleLineText}]}]\n"
        let manifest = try ManifestLoader().load(sources: [("a.yaml", Array(text.utf8))])
        XCTAssertEqual(manifest.target, .default)
        XCTAssertEqual(manifest.retention, .default)
        XCTAssertEqual(manifest.policy, .default)
        XCTAssertEqual(manifest.tables[0].onDelete, .delete)
    }

    func testAirtableTarget() throws {
        let text = """
            target:
              provider: airtable
              base: appABCDEFGHIJKLMN
              token_env: RECON_DEV_TOKEN
              api_url: http://127.0.0.1:8080
              requests_per_second: 2.5
            """
        let manifest = try ManifestLoader().load(sources: [("t.yaml", Array(text.utf8))])
        XCTAssertEqual(manifest.target.kind, .airtable(AirtableTarget(
            base: "appABCDEFGHIJKLMN", tokenEnv: "RECON_DEV_TOKEN", apiURL: "http://127.0.0.1:8080", requestsPerSecond: 2.5)))
    }

    /// A lost answer costs one request timeout: configurable, in the one duration syntax, 10 s unless said.
    func testAirtableRequestTimeout() throws {
        func timeout(_ line: String) throws -> Double? {
            let text = "target: {provider: airtable, base: appABCDEFGHIJKLMN\(line)}\n"
            guard case .airtable(let target) = try ManifestLoader().load(sources: [("t.yaml", Array(text.utf8))]).target.kind else { return nil }
            return target.requestTimeout
        }
        XCTAssertEqual(try timeout(", request_timeout: 2.5s"), 2.5)
        XCTAssertEqual(try timeout(", request_timeout: 1m"), 60)
        XCTAssertEqual(try timeout(""), 10)
        XCTAssertThrowsError(try timeout(", request_timeout: 0.1s")) { XCTAssertTrue("\($0)".contains("t.yaml:1:"), "\($0)") }
    }

    func testDigestChangesWithContentAndNotWithLocation() throws {
        let a = try ManifestLoader().load(sources: [("x/a.yaml", Array("tables: []\n".utf8))])
        let b = try ManifestLoader().load(sources: [("y/a.yaml", Array("tables: []\n".utf8))])
        let c = try ManifestLoader().load(sources: [("x/a.yaml", Array("tables: [] \n".utf8))])
        XCTAssertEqual(a.digest, b.digest)
        XCTAssertNotEqual(a.digest, c.digest)
    }

    /// File names and bytes are framed by their lengths: with `name NUL bytes NUL`, UTF-16 manifests (full of NUL
    /// bytes) made one file and two files hash alike, and the no-op seal or a plan receipt then vouched for
    /// manifests that say something else (found in review).
    func testOneFileAndTwoFilesThatFrameAlikeDigestApart() throws {
        func utf16(_ text: String) -> [UInt8] { [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
        let first = utf16("tables:\n  - name: Skills\n    key: Key\n    fields:\n      - {name: Key, type: singleLineText}\n      - {name: Name, type: singleLineText}\n"
                          + "    description: |\n      hello")
        let second = utf16("\n        protected: {Skills: [Name]}\n")
        let two = try ManifestLoader().load(sources: [("m/a.yaml", first), ("m/b.yaml", second)])
        let one = try ManifestLoader().load(sources: [("m/a.yaml", first + [0] + Array("b.yaml".utf8) + [0] + second)])
        XCTAssertNotEqual(two.protectedFields(of: "Skills"), one.protectedFields(of: "Skills"), "the two sets mean different things")
        XCTAssertNotEqual(two.digest, one.digest)
    }
}
