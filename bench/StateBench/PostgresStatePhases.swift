import Foundation
import Postgres
import State
import TestSupport

/// The same phases as the state file, against `PostgresStateStore` on a throwaway cluster started
/// here. The test cluster runs with fsync off; the bench turns durability back on first, so a batch
/// costs what it would on a real server (one WAL flush per commit).
enum PostgresStatePhases {
    static func run(_ state: StateModel, batches: [[StateChange]], measure: inout Measure) throws {
        let server = try PostgresServer.shared()
        let admin = try PGConnection(server.uri())
        for setting in ["fsync = on", "synchronous_commit = on", "full_page_writes = on"] {
            _ = try admin.exec("ALTER SYSTEM SET \(setting)")
        }
        _ = try admin.exec("SELECT pg_reload_conf()")
        let store = try PostgresStateStore(connectionString: server.uri(), schema: "bench_state", target: state.target)
        var state = state
        try measure.run("postgres: write snapshot (+history version)") { try store.write(&state, keepHistory: 5) }
        let loaded = try measure.run("postgres: load", note: { "\($0.recordCount) records" }) { try store.load(expectedTarget: nil)! }
        precondition(loaded == state, "read back differs")
        let log = try store.beginJournal(for: &state, keepHistory: 5)
        try measure.run("postgres: append \(batches.count) batches of \(batches.first?.count ?? 0) (save per batch)",
                        note: { _ in "serial \(state.serial)" }) {
            for changes in batches { try log.append(changes, to: &state) }
        }
        log.close()
        let replayed = try measure.run("postgres: load after the batches", note: { "serial \($0.serial)" }) {
            try store.load(expectedTarget: nil)!
        }
        precondition(replayed == state, "load after batches differs")
        let serial = try store.versions().last!.serial
        _ = try measure.run("postgres: load history version \(serial)", note: { "\($0.recordCount) records" }) {
            try store.loadVersion(serial: serial)!
        }
        try measure.run("postgres: full write (a new history version)") { try store.write(&state, keepHistory: 5) }
    }
}
