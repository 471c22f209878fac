import Apply
import Foundation
import Manifest
import Plan
import ReconCore
import Remote
import SQLiteBase
import State
import TestSupport

/// A project folder with manifests, a real git repo of plugins and skills, and a real SQLite base.
final class ApplyHarness {
    let project = TemporaryDirectory("project")
    let repo = GitFixture("catalog")
    var batchSize = 1_000

    init(onDelete: String = "delete") {
        project.write("manifests/schema.yaml", """
            target: {provider: sqlite, database: \(project.path)/state/catalog.sqlite}
            tables:
              - name: Plugins
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
              - name: Skills
                key: Key
                on_delete: \(onDelete)
                \(onDelete == "archive" ? "archive_field: Archived" : "")
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
                  - {name: Plugin, type: multipleRecordLinks, table: Plugins}
                  - {name: Status, type: singleSelect, choices: [Draft, Published]}
                  - {name: Archived, type: checkbox}
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
                      Plugin: {link: Plugins, by: ancestor}
                      Status: {const: Draft}
            protected:
              Skills: [Status]
            """)
    }

    var statePath: String { project.path + "/state/recon.state.json" }
    var database: String { project.path + "/state/catalog.sqlite" }

    func addSkill(_ plugin: String, _ skill: String, name: String? = nil) {
        repo.write("plugins/\(plugin)/plugin.json", #"{"name": "\#(plugin)"}"#)
        repo.write("plugins/\(plugin)/skills/\(skill)/SKILL.md", "---\nname: \(name ?? skill)\n---\nBody of \(skill).\n")
    }

    /// Skills one, two and three of plugin alpha, committed, planned and applied (run "first").
    static func withThreeSkillsApplied() throws -> ApplyHarness {
        let harness = ApplyHarness()
        harness.addSkill("alpha", "one")
        harness.addSkill("alpha", "two")
        harness.addSkill("alpha", "three")
        harness.repo.commit("three skills")
        try harness.planAndApply(run: "first")
        return harness
    }

    func manifest() throws -> Manifest { try ManifestLoader().load(directory: project.path + "/manifests") }

    func plan(allowEmptyState: Bool = false) throws -> PlanRunner.Outcome {
        try PlanRunner(manifestDirectory: project.path + "/manifests", statePath: statePath,
                       stateDirectory: project.path + "/state", environment: [:], allowEmptyState: allowEmptyState).run()
    }

    func provider() -> SQLiteBase { SQLiteBase(path: database, maxRecordsPerBatch: batchSize) }

    /// Applies a plan as `apply FILE` does: preflight reads the base again.
    @discardableResult
    func apply(_ plan: Plan, run: String, stopAfterBatches: Int? = nil) throws -> Applier.Result {
        let observer = BatchCounter()
        let applier = Applier(plan: plan, manifest: try manifest(), provider: provider(), store: StateStore(path: statePath),
                              keepHistory: 10, observer: observer,
                              shouldStop: { stopAfterBatches.map { observer.batches >= $0 } ?? false })
        return try applier.run(try applier.check(), runDirectory: project.path + "/state/runs/\(run)")
    }

    /// Applies a plan as `recon apply` does, under the lock and with its run ledger and outcomes; returns the run id.
    /// `stopAfterBatches` cancels the run (as Ctrl-C does) once that many batches are done.
    @discardableResult
    func applyRecorded(_ plan: Plan, stopAfterBatches: Int? = nil) throws -> String {
        let layout = RunLayout(stateDirectory: project.path + "/state")
        let lease = try Lease.acquire(path: layout.lockPath, operation: "apply", heartbeat: false)
        defer { try? lease.release() }
        let cancellation = CancellationSignal()
        let observer = BatchCounter()
        observer.onBatch = { if let limit = stopAfterBatches, observer.batches >= limit { cancellation.cancel(.signal(SIGINT)) } }
        let session = ApplySession(manifest: try manifest(), layout: layout, statePath: statePath, environment: [:], batchSize: batchSize,
                                   manifestDirectory: project.path + "/manifests")
        // These tests delete most of small tables on purpose: RC101 is allowed, as `--allow RC101` would.
        return try session.apply(plan, lease: lease, cancellation: cancellation, observer: observer, allow: [.RC101]).runID
    }

    @discardableResult
    func planAndApply(run: String) throws -> Applier.Result {
        try apply(try plan().plan, run: run)
    }

    /// The base's records of a table, by key.
    func records(_ table: String) throws -> [String: RemoteRecord] {
        let base = provider()
        guard let remote = try base.inspectSchema().table(named: table) else { return [:] }
        var byKey: [String: RemoteRecord] = [:]
        for record in try base.readRecords(in: remote) {
            if case .text(let key)? = record.fields["Key"] { byKey[key] = record }
        }
        return byKey
    }

    func state() throws -> StateModel? { try StateStore(path: statePath).load(expectedTarget: nil) }
}

/// Counts batches so a test can stop a run part-way.
final class BatchCounter: ApplyObserver {
    var batches = 0
    var updateBatches = 0
    var outcomes: [EntityOutcome] = []
    var warnings: [String] = []
    var onBatch: () -> Void = {}
    func phaseStarted(_ phase: ApplyPhase, total: Int) {}
    func batchFinished(_ phase: ApplyPhase, done: Int, total: Int) {
        batches += 1
        if phase == .updates { updateBatches += 1 }
        onBatch()
    }
    func recordFinished(_ outcome: EntityOutcome) { outcomes.append(outcome) }
    func warning(_ message: String) { warnings.append(message) }
}
