import AirtableBase
import Foundation
import ReconCore
import Remote
import TestSupport

/// Issue 12, goal 7: what 1,000 creates, a no-op plan of a 10,000-record base, and the change check cost in
/// requests and time, against the emulator on loopback with Airtable's 5 requests/s.
enum DeltaBench {
    static func run() throws {
        print("| Run | Outcome | Requests | Wall | Requests/s |\n|---|---|---|---|---|")
        let paced = try AirtableEmulator(requestsPerSecond: 5, keepAlive: true)
        let creates = Project(skills: 1_000, emulator: paced)
        try row("1,000 creates (`recon apply`)", paced) { try creates.apply() }
        paced.stop()

        // The 10,000 records are written at a high pace (both sides), then read back at Airtable's 5/s.
        let roomy = try AirtableEmulator(requestsPerSecond: 100_000, keepAlive: true)
        let large = Project(skills: 10_000, emulator: roomy, rate: 2_000)
        _ = try large.apply()
        large.writeManifest(rate: 5)
        try row("no-op `recon plan`, 10,000 records", roomy) { try large.run(["plan"]) }

        // The seal of a no-op run is written well after the writes it follows; move the server's clock past the margin.
        roomy.advanceClock(by: 120)
        let provider = AirtableBase(configuration: AirtableConfiguration(
            baseID: large.base, apiURL: roomy.url, token: AirtableToken(roomy.token)), limiter: AirtableRateLimiter(requestsPerSecond: 5))
        let tables = try provider.inspectSchema().tables
        nonisolated(unsafe) var mark: ChangeMark?
        try row("`changeMark` (taken before a full refresh)", roomy) {
            mark = try provider.changeMark(tables: tables)
            return mark == nil ? "no mark" : "mark"
        }
        guard let mark else { return }
        try row("`isUnchanged`, quiet base of 10,000 records", roomy) { "\(try provider.isUnchanged(since: mark, tables: tables))" }
        let record = roomy.records(large.base, table: "Skills")[5_000]["id"]?.stringValue ?? ""
        roomy.editCell(large.base, table: "Skills", record: record, field: "Name", to: .string("edited outside"))
        try row("`isUnchanged`, one record edited outside", roomy) { "\(try provider.isUnchanged(since: mark, tables: tables))" }
        roomy.stop()
    }

    private static func row(_ label: String, _ emulator: AirtableEmulator, _ body: () throws -> String) throws {
        emulator.resetLog()
        let start = Date()
        let detail = try body()
        let seconds = Date().timeIntervalSince(start)
        let count = emulator.requests.count
        print(String(format: "| %@ | %@ | %d (%d writes) | %.1f s | %.2f |", label, detail, count,
                     emulator.requests.filter { $0.method != "GET" }.count, seconds, Double(count) / seconds))
    }
}
