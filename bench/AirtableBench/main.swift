import Foundation
import ReconCore
import TestSupport

// Airtable benchmark: the real `recon apply` against the loopback emulator at 5 requests/s.
// Phase 1 applies 1,000 creates. Phase 2 seeds 10,000 records (directly in the emulator, then
// adopted into the state by an apply that writes nothing), changes 1% of them in the source repo
// and measures the apply of those updates.
// Usage: swift build && .build/debug/recon-airtable-bench [creates] [records]

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

    /// `recon apply --auto-approve --json [extra]`; returns the final event's summary.
    func apply(_ extra: [String] = []) throws -> String {
        let result = try ReconProcess.run(["apply", "--auto-approve", "--json"] + extra, in: folder.path, environment: environment)
        let last = result.stdout.split(separator: "\n").last.flatMap { try? JSONParser.parse(String($0)) }
        guard result.status == 0, let last else { throw ReconError("apply failed (\(result.status)): \(result.stderr)") }
        let counts = ["created", "updated", "deleted"].map { "\($0) \(last[$0]?.intValue ?? 0)" }.joined(separator: ", ")
        return "\(last["status"]?.stringValue ?? "?"): \(counts)"
    }
}

/// Runs `body`, then prints what it cost in requests, 429s and time.
func measure(_ label: String, _ body: () throws -> String) throws {
    emulator.resetLog()
    let start = Date()
    let detail = try body()
    let seconds = Date().timeIntervalSince(start)
    let requests = emulator.requests
    let busy = (requests.count > 1) ? Double(requests.count) / seconds : 0
    let line = String(format: "%@ — %@; %d requests (%d writes), %d × 429, %.2f requests/s over the wall time (ceiling 5), wall %.1f s\n",
                      label, detail, requests.count, requests.filter { $0.method != "GET" }.count, emulator.throttledCount, busy, seconds)
    FileHandle.standardOutput.write(Data(line.utf8))
}

let creates = Project(skills: createCount)
try measure("apply \(createCount) creates") { try creates.apply() }

let updates = Project(skills: recordCount)
try measure("setup: create the table (no records)") { try updates.apply(["--target", "Skills/none"]) }
// Record 1 is seeded stale so the adopting plan has a change: `recon apply` skips a plan whose only
// work is adopting identical records ("no changes"), which would leave 10,000 adoptions to the
// measured run.
for index in 0..<recordCount {
    emulator.insertRecord(updates.base, table: "Skills", cells: [
        "Key": .string(updates.key(index)), "Name": .string(index == 1 ? "stale" : "skill \(index)"),
        "Summary": .string("Summary of skill \(index)")])
}
try measure("setup: adopt \(recordCount) seeded records into the state") { try updates.apply() }
let changed = max(1, recordCount / 100)
for index in stride(from: 0, to: recordCount, by: recordCount / changed) { updates.write(index, name: "renamed \(index)") }
_ = updates.repo.commit("rename 1%")
try measure("apply 1% updates (\(changed)) of \(recordCount) records") { try updates.apply() }
emulator.stop()
