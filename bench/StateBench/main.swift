import Foundation
import ReconCore
import Remote
import SQLiteBase
import State

// Measures the state file, the PostgreSQL state store and the SQLite provider at N records (default 100,000):
//   swift build -c release --product recon-state-bench && .build/release/recon-state-bench [N] [dir]
let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1])! : 100_000
let directory = CommandLine.arguments.count > 2
    ? CommandLine.arguments[2] : NSTemporaryDirectory() + "recon-bench-\(getpid())"
try? FileManager.default.removeItem(atPath: directory)
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }

/// About a dozen fields, the shape of the catalog's skills.
func values(_ n: Int, revision: Int = 0) -> [String: FieldValue] {
    [
        "Name": .text("Skill number \(n) revision \(revision)"),
        "Description": .text("Does a useful thing for entity \(n); written by the extractor from SKILL.md front matter."),
        "Home Page": .text("https://example.com/skills/\(n)"),
        "Owner": .text("owner\(n % 97)@example.com"),
        "Stars": .number(Double(n % 5000) + 0.5),
        "Reviewed": .bool(n % 3 == 0),
        "Released": .text("2024-01-\(String(format: "%02d", n % 28 + 1))"),
        "Status": .text(["Draft", "Reviewed", "Published"][n % 3]),
        "Tags": .list(["cli", "ai", "web"].prefix(n % 3 + 1).map { $0 }),
        "Source Commit": .text(String(format: "%040x", n)),
        "Plugin": .list(["core:plugins/p\(n % 100)/.claude-plugin/plugin.json"]),
    ]
}

func key(_ n: Int) -> String { "core:skills/s\(n)/SKILL.md" }

var measure = Measure()
print("N = \(count), directory \(directory)")
/// `BENCH_ONLY=state`, `BENCH_ONLY=postgres` or `BENCH_ONLY=sqlite` runs one part (for profiling).
let only = ProcessInfo.processInfo.environment["BENCH_ONLY"]

if only == nil || only == "state" || only == "postgres" {

// MARK: State file

let store = StateStore(path: "\(directory)/state/recon.state.json")
var state = measure.run("state: build model in memory") { () -> StateModel in
    var state = StateStore.newState(target: "sqlite:\(directory)/catalog.sqlite")
    state.tables["Skills"] = TableState(id: "tblSKILLS0000000", fields: ["Key": "fldKEY0000000000"])
    var records: [String: ManagedRecord] = [:]
    records.reserveCapacity(count)
    for n in 0..<count { records[key(n)] = ManagedRecord(id: "rec" + String(format: "%014d", n), values: values(n)) }
    state.records["Skills"] = records
    return state
}
try measure.run("state: write snapshot (+history copy)", note: { _ in
    let size = (try? FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int) ?? 0
    return String(format: "%.1f MB file", Double(size) / 1e6)
}) { try store.write(&state, keepHistory: 5) }
do {
    let loaded = try measure.run("state: read snapshot", note: { "\($0.recordCount) records" }) {
        try store.load(expectedTarget: nil)!
    }
    precondition(loaded == state, "read back differs")
}

// The 1% run's write (issue 12, goal 4): 1% of the records changed, the others copied from the file loaded
// (`StateFileLayout`), then the same again encoding everything. CPU (user+sys) in the note: the machine is shared.
if only != "postgres" {
    func cpu() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    func edited(_ state: StateModel, revision: Int) -> StateModel {
        var state = state
        for n in stride(from: 0, to: count, by: 100) {
            state.apply(.putRecord(table: "Skills", key: key(n),
                                   record: ManagedRecord(id: "rec" + String(format: "%014d", n), values: values(n, revision: revision))))
        }
        return state
    }
    for round in 1...2 {
        var start = cpu()
        let (loaded, found) = try measure.run("state: read snapshot with its layout", note: { _ in String(format: "cpu %.3f s", cpu() - start) }) {
            try store.loadWithLayout(expectedTarget: nil)
        }
        var layout = found!
        layout.canonical = true
        var copied = edited(loaded!, revision: 2 * round)
        start = cpu()
        _ = try measure.run("state: write, 1% changed, the rest copied", note: { _ in String(format: "cpu %.3f s", cpu() - start) }) {
            try store.write(&copied, keepHistory: 5, splicing: layout)
        }
        var encoded = edited(try store.load(expectedTarget: nil)!, revision: 2 * round + 1)
        start = cpu()
        try measure.run("state: write, 1% changed, everything encoded", note: { _ in String(format: "cpu %.3f s", cpu() - start) }) {
            try store.write(&encoded, keepHistory: 5)
        }
    }
    state = try store.load(expectedTarget: nil)!
}

let batches = 1_000, perBatch = 100
var pending: [[StateChange]] = (0..<batches).map { batch in
    (0..<perBatch).map { offset -> StateChange in
        let n = (batch * perBatch + offset) % count
        return .putRecord(table: "Skills", key: key(n), record: ManagedRecord(id: "rec" + String(format: "%014d", n), values: values(n, revision: 1)))
    }
}
let model = state
if only != "postgres" {
let journal = try store.beginJournal(for: &state, keepHistory: 5)
try measure.run("state: append \(batches) journal batches of \(perBatch)", note: { _ in
    let size = (try? FileManager.default.attributesOfItem(atPath: store.journalPath)[.size] as? Int) ?? 0
    return String(format: "%.1f MB journal, serial %d", Double(size) / 1e6, state.serial)
}) {
    for changes in pending { try journal.append(changes, to: &state) }
}
journal.close()
do {
    let replayed = try measure.run("state: read snapshot + replay journal", note: { "serial \($0.serial)" }) {
        try store.load(expectedTarget: nil)!
    }
    precondition(replayed == state, "replay differs")
}
try measure.run("state: fold journal (full write)") { try store.write(&state, keepHistory: 5) }
}
state = StateModel(lineage: "", target: "")

// MARK: PostgreSQL state store

if only != "state" { try PostgresStatePhases.run(model, batches: pending, measure: &measure) }
pending = []

}

// MARK: SQLite provider

if only == nil || only == "sqlite" {

let base = SQLiteBase(path: "\(directory)/catalog.sqlite")
let plugins = try base.createTable(TableDefinition(name: "Plugins", keyField: "Key", fields: [
    FieldDefinition(name: "Key", type: .singleLineText),
]))
let pluginIDs = try base.upsert((0..<100).map { ["Key": .text("core:plugins/p\($0)/.claude-plugin/plugin.json")] },
                                in: plugins, mergeOn: "Key").map(\.record.id)
let skills = try base.createTable(TableDefinition(name: "Skills", keyField: "Key", fields: [
    FieldDefinition(name: "Key", type: .singleLineText),
    FieldDefinition(name: "Name", type: .singleLineText),
    FieldDefinition(name: "Description", type: .multilineText),
    FieldDefinition(name: "Home Page", type: .url),
    FieldDefinition(name: "Owner", type: .email),
    FieldDefinition(name: "Stars", type: .number, precision: 1),
    FieldDefinition(name: "Reviewed", type: .checkbox),
    FieldDefinition(name: "Released", type: .date),
    FieldDefinition(name: "Status", type: .singleSelect, choices: ["Draft", "Reviewed", "Published"]),
    FieldDefinition(name: "Tags", type: .multipleSelects, choices: ["cli", "ai", "web"]),
    FieldDefinition(name: "Source Commit", type: .singleLineText),
    FieldDefinition(name: "Plugin", type: .multipleRecordLinks, linkedTable: "Plugins"),
]))

func rows(_ range: Range<Int>, revision: Int) -> [[String: FieldValue]] {
    range.map { n in
        var fields = values(n, revision: revision)
        fields["Key"] = .text(key(n))
        fields["Plugin"] = .list([pluginIDs[n % 100]])
        return fields
    }
}

let batchSize = base.limits.maxRecordsPerBatch
for (label, revision) in [("create", 0), ("update, all exist", 1)] {
    try measure.run("sqlite: upsert \(count) rows in batches of \(batchSize) (\(label))") {
        for start in stride(from: 0, to: count, by: batchSize) {
            _ = try base.upsert(rows(start..<min(start + batchSize, count), revision: revision), in: skills, mergeOn: "Key")
        }
    }
}
do {
    let fresh = SQLiteBase(path: base.path)
    let read = try measure.run("sqlite: inspect schema + read all rows", note: { "\($0.records["Skills"]!.count) rows" }) {
        try fresh.snapshot(tables: ["Skills", "Plugins"])
    }
    precondition(read.records["Skills"]!.count == count)
}
let size = (try FileManager.default.attributesOfItem(atPath: base.path)[.size] as? Int) ?? 0
print(String(format: "sqlite file: %.1f MB", Double(size) / 1e6))
}
