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

    /// Plans in this process through the same runner the CLI uses (relative paths, from the project).
    func plan(environment extra: [String: String]? = nil) throws -> PlanRunner.Outcome {
        try inProject {
            try PlanRunner(manifestDirectory: "manifests", environment: extra ?? environment).run()
        }
    }

    /// Plans and applies as `recon apply` will, over real HTTP to the emulator.
    @discardableResult
    func apply(_ plan: Plan? = nil, run: String, environment extra: [String: String]? = nil) throws -> Applier.Result {
        let env = extra ?? environment
        let plan = try plan ?? self.plan(environment: env).plan
        return try inProject {
            var manifest = try ManifestLoader().load(directory: "manifests")
            let statePath = try TargetSelection.apply(to: &manifest, environment: env)
            let provider = try BaseConnector.open(manifest, environment: env)
            return try Applier(plan: plan, manifest: manifest, provider: provider, store: StateStore(path: statePath),
                               runDirectory: "state/runs/\(run)", keepHistory: 10).run()
        }
    }

    func rollbackPlan(_ run: String) throws -> Plan {
        try inProject { try RollbackRunner(manifestDirectory: "manifests", environment: environment).run(runID: run) }
    }

    /// Records of a table in a base, cells by field name.
    func records(_ table: String, base: String? = nil) -> [[String: JSONValue]] {
        emulator.records(base ?? baseID, table: table)
    }

    func keys(_ table: String, base: String? = nil) -> [String] {
        records(table, base: base).compactMap { $0["Key"]?.stringValue }.sorted()
    }

    private static let directoryLock = NSLock()

    /// Runs `body` with the project as the working directory (the CLI's relative paths).
    private func inProject<T>(_ body: () throws -> T) throws -> T {
        Self.directoryLock.lock()
        defer { Self.directoryLock.unlock() }
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(project.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        return try body()
    }
}
