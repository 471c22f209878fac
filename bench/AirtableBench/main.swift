import AirtableBase
import Apply
import Foundation
import Manifest
import Plan
import ReconCore
import State
import TestSupport

// Airtable benchmark: the real plan → apply pipeline against the loopback emulator at 5 requests/s.
// Phase 1 applies 1,000 creates. Phase 2 seeds 10,000 records (directly in the emulator, then
// adopted into the state), changes 1% of them in the source repo and applies the 100 updates.
// Usage: swift run recon-airtable-bench [creates] [records]

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let createCount = arguments.first ?? 1_000
let recordCount = arguments.dropFirst().first ?? 10_000
let tokenVariable = "RECON_BENCH_AIRTABLE_TOKEN"
let emulator = try AirtableEmulator(requestsPerSecond: 5)
let environment = [tokenVariable: emulator.token]

/// One project: manifests targeting a fresh base, a git repo of `count` skills.
struct Project {
    let folder = TemporaryDirectory("airtable-bench")
    let repo = GitFixture("airtable-bench-repo")
    let base = emulator.addBase()

    init(skills count: Int) {
        folder.write("manifests/m.yaml", """
            target: {provider: airtable, base: \(base), token_env: \(tokenVariable), api_url: \(emulator.url.absoluteString)}
            tables:
              - name: Skills
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
                  - {name: Summary, type: multilineText}
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - table: Skills
                    files: ["skills/*.md"]
                    as: frontmatter
                    fields: {Name: name, Summary: summary}
            """)
        for index in 0..<count { write(index, name: "skill \(index)") }
        _ = repo.commit("skills")
    }

    func write(_ index: Int, name: String) {
        repo.write("skills/s\(index).md", "---\nname: \(name)\nsummary: Summary of skill \(index)\n---\n")
    }

    func key(_ index: Int) -> String { "core:skills/s\(index).md" }

    /// Plans and applies in the project folder, as `recon apply` does; returns the plan's summary.
    func planAndApply(run: String) throws -> PlanSummary {
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(folder.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let plan = try PlanRunner(manifestDirectory: "manifests", environment: environment).run().plan
        var manifest = try ManifestLoader().load(directory: "manifests")
        let statePath = try TargetSelection.apply(to: &manifest, environment: environment)
        let provider = try BaseConnector.open(manifest, environment: environment)
        let result = try Applier(plan: plan, manifest: manifest, provider: provider, store: StateStore(path: statePath),
                                 runDirectory: "state/runs/\(run)", keepHistory: 5).run(before: nil)
        guard result.status == .succeeded else { throw ReconError("run \(run) ended \(result.status.rawValue)") }
        return plan.summary
    }
}

/// Runs `body`, then prints what it cost in requests, 429s and time.
func measure(_ label: String, _ body: () throws -> String) rethrows {
    emulator.resetLog()
    let start = Date()
    let detail = try body()
    let seconds = Date().timeIntervalSince(start)
    let requests = emulator.requests
    let rate = Double(requests.count) / seconds
    print(String(format: "%@: %@; %d requests (%d writes), %d × 429, %.2f requests/s of a 5/s ceiling (%.0f%%), wall %.1f s",
                 label, detail, requests.count, requests.filter { $0.method != "GET" }.count, emulator.throttledCount,
                 rate, rate / 5 * 100, seconds))
}

let creates = Project(skills: createCount)
try measure("apply \(createCount) creates") {
    let summary = try creates.planAndApply(run: "creates")
    return "\(summary.add) to add"
}

let updates = Project(skills: recordCount)
try measure("setup: schema for \(recordCount) records") { "\(try Project.schemaOnly(updates)) schema changes" }
for index in 0..<recordCount {
    emulator.insertRecord(updates.base, table: "Skills", cells: [
        "Key": .string(updates.key(index)), "Name": .string("skill \(index)"), "Summary": .string("Summary of skill \(index)")])
}
try measure("setup: adopt \(recordCount) seeded records into the state") {
    let summary = try updates.planAndApply(run: "adopt")
    return "\(summary.add) to add, \(summary.change) to change"
}
let changed = recordCount / 100
for index in stride(from: 0, to: recordCount, by: recordCount / changed) { updates.write(index, name: "renamed \(index)") }
_ = updates.repo.commit("rename 1%")
try measure("apply 1% updates of \(recordCount) records") {
    let summary = try updates.planAndApply(run: "updates")
    return "\(summary.change) to change"
}

extension Project {
    /// Creates the table by applying a plan of the schema alone (an empty source tree).
    static func schemaOnly(_ project: Project) throws -> Int {
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(project.folder.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let outcome = try PlanRunner(manifestDirectory: "manifests", environment: environment, scope: PlanScope(targets: ["Skills/none"], repos: [])).run()
        var manifest = outcome.manifest
        _ = try TargetSelection.apply(to: &manifest, environment: environment)
        let provider = try BaseConnector.open(manifest, environment: environment)
        _ = try Applier(plan: outcome.plan, manifest: manifest, provider: provider, store: StateStore(path: StateStore.defaultPath),
                        runDirectory: "state/runs/schema", keepHistory: 5).run()
        return outcome.plan.schemaChanges.count
    }
}
emulator.stop()
