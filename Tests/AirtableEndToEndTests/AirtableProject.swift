import AirtableBase
import Apply
import Foundation
import Manifest
import Plan
import ReconCore
import Remote
import State
import TestSupport

/// A project whose target is an Airtable base served by the emulator: manifests, a git repo of
/// plugins and skills, the token in an environment variable, and the real `recon` binary.
final class AirtableProject {
    static let tokenVariable = "RECON_TEST_AIRTABLE_TOKEN"

    let project = TemporaryDirectory("airtable-project")
    let repo = GitFixture("catalog")
    let emulator: AirtableEmulator
    let baseID: String

    init(emulatorRate: Int = 25, clientRate: Double = 20) throws {
        emulator = try AirtableEmulator(requestsPerSecond: emulatorRate)
        baseID = emulator.addBase()
        project.write("manifests/target.yaml", """
            target:
              provider: airtable
              base: \(baseID)
              token_env: \(Self.tokenVariable)
              api_url: \(emulator.url.absoluteString)
              requests_per_second: \(clientRate)
            """)
        project.write("manifests/schema.yaml", """
            tables:
              - name: Plugins
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
              - name: Skills
                key: Key
                description: Agent skills
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
                  - {name: Summary, type: multilineText}
                  - {name: Plugin, type: multipleRecordLinks, table: Plugins}
                  - {name: Ready, type: checkbox}
                  - {name: Tags, type: multipleSelects, choices: [a, b]}
                  - {name: Status, type: singleSelect, choices: [Draft, Published]}
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - table: Plugins
                    files: ["plugins/*/plugin.json"]
                    as: json
                    root: .
                    fields: {Name: name}
                  - table: Skills
                    files: ["plugins/*/skills/*/SKILL.md"]
                    as: frontmatter
                    root: .
                    fields:
                      Name: name
                      Summary: summary
                      Ready: ready
                      Tags: tags
                      Plugin: {link: Plugins, by: ancestor}
                      Status: {const: Draft}
            protected:
              Skills: [Status]
            """)
    }

    deinit { emulator.stop() }

    var environment: [String: String] { [Self.tokenVariable: emulator.token] }
    var statePath: String { project.path + "/state/recon.state.json" }

    /// A skill whose optional cells are empty (no summary, ready: false, no tags), as sources often are.
    func addSkill(_ plugin: String, _ skill: String, name: String? = nil, ready: Bool = false) {
        repo.write("plugins/\(plugin)/plugin.json", #"{"name": "\#(plugin)"}"#)
        repo.write("plugins/\(plugin)/skills/\(skill)/SKILL.md",
                   "---\nname: \(name ?? skill)\nsummary: \"\"\nready: \(ready)\ntags: []\n---\nBody.\n")
    }

    func recon(_ arguments: [String], environment extra: [String: String]? = nil) throws -> ReconProcess.Result {
        try ReconProcess.run(arguments, in: project.path, environment: extra ?? environment)
    }

    /// The outcome of `recon apply --json`: exit status, the final event's status and run id.
    struct Applied {
        var status: Int32
        var runStatus: String?
        var runID: String?
        var output: String
    }

    /// `recon [--base-id] apply [FILE] --auto-approve --json`, the real binary over real HTTP.
    @discardableResult
    func apply(_ planFile: String? = nil, baseID: String? = nil, environment extra: [String: String]? = nil, allow: String? = nil) throws -> Applied {
        let arguments = (baseID.map { ["--base-id", $0] } ?? []) + ["apply"] + (planFile.map { [$0] } ?? []) + ["--auto-approve", "--json"]
            + (allow.map { ["--allow", $0] } ?? [])
        let result = try recon(arguments, environment: extra)
        let last = result.stdout.split(separator: "\n").last.flatMap { try? JSONParser.parse(String($0)) }
        return Applied(status: result.status, runStatus: last?["status"]?.stringValue, runID: last?["run_id"]?.stringValue,
                       output: result.stdout + result.stderr)
    }

    /// Records of a table in a base, cells by field name.
    func records(_ table: String, base: String? = nil) -> [[String: JSONValue]] {
        emulator.records(base ?? baseID, table: table)
    }

    func keys(_ table: String, base: String? = nil) -> [String] {
        records(table, base: base).compactMap { $0["Key"]?.stringValue }.sorted()
    }
}
