import Foundation
import ReconCore
import TestSupport

// Airtable benchmark: the real `recon apply` against the loopback emulator, under faults, side by side.
//   1. N creates, fault-free, server limit 5 requests/s.
//   2. N creates with 10% of write answers lost (every 10th committed, then the connection closed).
//   3. N creates against a server limited to 4 requests/s (Airtable's 30 s penalty after a 429).
//   4. N creates while a `recon plan` of the same base runs alongside.
// Connections are kept alive, as Airtable's are. Usage:
//   swift build -c release --product recon && swift build -c release --product recon-airtable-bench
//   .build/release/recon-airtable-bench [creates]
//   .build/release/recon-airtable-bench delta   (issue 12: 1,000 creates, a 10,000-record no-op plan, isUnchanged)

let createCount = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first ?? 300
let tokenVariable = "RECON_BENCH_AIRTABLE_TOKEN"

/// One project: manifests targeting a fresh base of `emulator`, a git repo of `count` skills.
struct Project {
    let folder = TemporaryDirectory("airtable-bench")
    let repo = GitFixture("airtable-bench-repo")
    let emulator: AirtableEmulator
    let base: String

    init(skills count: Int, emulator: AirtableEmulator, rate: Double = 5) {
        self.emulator = emulator
        base = emulator.addBase()
        writeManifest(rate: rate)
        for index in 0..<count {
            repo.write("skills/s\(index).md", "---\nname: skill \(index)\nsummary: Summary of skill \(index)\n---\n")
        }
        _ = repo.commit("skills")
    }

    /// The manifest, with the client's pace (`requests_per_second`).
    func writeManifest(rate: Double) {
        folder.write("manifests/m.yaml", """
            target: {provider: airtable, base: \(base), token_env: \(tokenVariable), api_url: \(emulator.url.absoluteString), requests_per_second: \(rate)}
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
    }

    var environment: [String: String] { [tokenVariable: emulator.token] }

    /// `recon <arguments>`; returns a short account of the outcome, or throws with its stderr.
    func run(_ arguments: [String]) throws -> String {
        let result = try ReconProcess.run(arguments, in: folder.path, environment: environment)
        guard [0, 2].contains(result.status) else { throw ReconError("\(arguments[0]) failed (\(result.status)): \(result.stderr)") }
        let last = result.stdout.split(separator: "\n").last.flatMap { try? JSONParser.parse(String($0)) }
        guard let last, arguments.first == "apply" else { return "exit \(result.status)" }
        let counts = ["created", "updated", "deleted"].map { "\($0) \(last[$0]?.intValue ?? 0)" }.joined(separator: ", ")
        return "\(last["status"]?.stringValue ?? "?"): \(counts)"
    }

    func apply() throws -> String { try run(["apply", "--auto-approve", "--json"]) }
}

/// Runs `body`, then prints what it cost in requests, lost answers, 429s and time.
func measure(_ label: String, on emulator: AirtableEmulator, _ body: () throws -> String) throws {
    emulator.resetLog()
    let start = Date()
    let detail = try body()
    let seconds = Date().timeIntervalSince(start)
    let requests = emulator.requests
    let line = String(format: "| %@ | %@ | %d (%d writes) | %d | %d | %.1f s |\n", label, detail, requests.count,
                      requests.filter { $0.method != "GET" }.count, requests.filter { $0.status == 0 }.count,
                      emulator.throttledCount, seconds)
    FileHandle.standardOutput.write(Data(line.utf8))
}

if CommandLine.arguments.dropFirst().first == "delta" {
    try DeltaBench.run()
    exit(0)
}

FileHandle.standardOutput.write(Data("| Run | Outcome | Requests | Lost answers | 429s | Wall |\n|---|---|---|---|---|---|\n".utf8))

let fast = try AirtableEmulator(requestsPerSecond: 5, keepAlive: true)
let plain = Project(skills: createCount, emulator: fast)
try measure("\(createCount) creates, fault-free", on: fast) { try plain.apply() }

let lossy = Project(skills: createCount, emulator: fast)
fast.loseEvery(10)
try measure("\(createCount) creates, 10% of answers lost", on: fast) { try lossy.apply() }
fast.loseEvery(0)

let slow = try AirtableEmulator(requestsPerSecond: 4, keepAlive: true)
let limited = Project(skills: createCount, emulator: slow)
try measure("\(createCount) creates, server limit 4 requests/s", on: slow) { try limited.apply() }
slow.stop()

let shared = Project(skills: createCount, emulator: fast)
try measure("\(createCount) creates with a plan alongside", on: fast) {
    let group = DispatchGroup()
    nonisolated(unsafe) var planned = ""
    DispatchQueue.global().async(group: group) {
        Thread.sleep(forTimeInterval: 2)
        planned = (try? shared.run(["plan"])) ?? "plan failed"
    }
    let applied = try shared.apply()
    group.wait()
    return "\(applied); plan \(planned)"
}
fast.stop()
