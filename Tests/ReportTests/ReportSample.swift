import Apply
import Foundation
import Manifest
import Report

/// A known ledger as a report model: three applies, a failed rollback, three drift checks, hostile names
/// from end to end (tables, fields, hosts, owners, errors), and a stale lock.
enum ReportSample {
    static let hostileTable = "<script>alert('t')</script> & \"Skills\""
    static let hostileHost = "evil<host>\u{1B}[31m"
    static let hostileOwner = "\"><img src=x onerror=alert(1)>@evil"
    static let target = "sqlite:state/<b>catalog</b>.sqlite"

    static func date(_ minutes: Double) -> Date { UTCTimestamp.parse("2026-12-03T09:00:00Z")!.addingTimeInterval(minutes * 60) }

    static func run(_ id: String, _ operation: RunOperation, at minutes: Double, seconds: Double, status: RunStatus = .succeeded,
                    counters: RunCounters = RunCounters(), drift: DriftCounts? = nil, error: String? = nil) -> RunSummary {
        var record = RunRecord(id: id, operation: operation, planDigest: operation == .drift ? "" : "sha256:\(id)", target: target,
                               leaseID: nil, started: date(minutes))
        record.finished = date(minutes).addingTimeInterval(seconds)
        record.heartbeat = record.finished!
        record.status = status
        record.counters = counters
        record.drift = drift
        record.error = error
        record.owner = hostileOwner
        record.host = hostileHost
        record.pid = 4242
        return RunSummary(record: record, status: status, directory: "/unused/\(id)")
    }

    /// Newest first, as `RunLedger.listing` gives them.
    static let runs: [RunSummary] = [
        run("20261203T100000Z-000007", .drift, at: 60, seconds: 1.5,
            drift: DriftCounts(tables: [hostileTable: .init(changed: 2, missing: 1, unexpected: 4), "Plugins": .init()], exitCode: 2)),
        run("20261203T094000Z-000006", .rollback, at: 40, seconds: 3, status: .failed, counters: RunCounters(updated: 1, failed: 1, batches: 1),
            error: "the base said <no> & stopped"),
        run("20261203T093000Z-000005", .drift, at: 30, seconds: 1, drift: DriftCounts(tables: [hostileTable: .init(), "Plugins": .init()])),
        run("20261203T092000Z-000004", .apply, at: 20, seconds: 12.25, counters: RunCounters(created: 1, updated: 5, deleted: 2, batches: 3)),
        run("20261203T091000Z-000003", .drift, at: 10, seconds: 0.5, status: .failed, error: "cannot open the base"),
        run("20261203T090500Z-000002", .apply, at: 5, seconds: 4, counters: RunCounters(created: 3, adopted: 2, batches: 2)),
        run("20261203T090000Z-000001", .apply, at: 0, seconds: 20, counters: RunCounters(created: 10, batches: 1)),
    ]

    static var lock: LockStatus {
        let lease = LeaseInfo(id: "6f1c2d9e-<lease>", owner: hostileOwner, pid: 999_999, host: hostileHost, operation: "apply",
                              created: date(61), expires: date(62))
        return LockStatus(location: "state/.lock", backend: "local", holder: lease, processAlive: nil, stale: "it expired at <then>")
    }

    static func model(runs: [RunSummary] = runs) -> ReportModel {
        ReportModel(target: target, stateLocation: "state/recon.state.json", stateSerial: 9,
                    tables: [.init(name: hostileTable, managed: 12, unmanaged: 4, protectedFields: ["Notes & <b>", "Status"]),
                             .init(name: "Plugins", managed: 3, unmanaged: 0, protectedFields: [])],
                    unmanagedCountedBy: runs.first { $0.record.operation == .drift && $0.record.drift != nil },
                    runs: runs, runsWithBackup: ["20261203T092000Z-000004", "20261203T090500Z-000002"], unreadableRuns: 1,
                    retention: RetentionPolicy(backupsKeepLast: 20, backupsMaxAgeDays: 90, runsKeepLast: 500,
                                               stateVersionsKeepLast: 50, driftChecksKeepLast: 30),
                    stateVersionsKept: 9, lock: lock)
    }
}
