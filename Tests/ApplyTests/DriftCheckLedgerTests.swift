import Apply
import Foundation
import ReconCore
import TestSupport
import XCTest

/// A drift check's ledger on real files (issue 11): its counts and who ran it round-trip, and a check that holds
/// no lease is told `running` from `interrupted` by its process, not by the lock.
final class DriftCheckLedgerTests: XCTestCase {
    func testCountsAndWhoRanItRoundTrip() throws {
        let temp = TemporaryDirectory()
        let ledger = try RunLedger.start(runsDirectory: temp.path, operation: .drift, planDigest: "", target: "sqlite:x", leaseID: nil)
        let counts = DriftCounts(tables: ["Skills": .init(changed: 2, missing: 1, unexpected: 3)], schemaChanges: 1, integrityErrors: 0,
                                 exitCode: 2)
        try ledger.finish(.succeeded, drift: counts)
        let read = try RunLedger.load(runDirectory: ledger.directory)
        XCTAssertEqual(read, ledger.record)
        XCTAssertEqual(read.drift, counts)
        XCTAssertEqual(read.operation, .drift)
        XCTAssertEqual(read.pid, getpid())
        XCTAssertEqual(read.host, LeaseInfo.localHost)
        XCTAssertEqual(read.owner, "\(LeaseInfo.localUser)@\(LeaseInfo.localHost)")
    }

    func testARunningCheckIsInterruptedOnlyOnceItsProcessIsGone() throws {
        let temp = TemporaryDirectory()
        let ledger = try RunLedger.start(runsDirectory: temp.path, operation: .drift, planDigest: "", target: "t", leaseID: nil)
        XCTAssertEqual(RunLedger.list(runsDirectory: temp.path).first?.status, .running, "its process (this one) is alive")

        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        var record = ledger.record
        record.pid = gone.processIdentifier
        try PrivateFile.write(record.encoded(), to: ledger.ledgerPath)
        XCTAssertEqual(RunLedger.list(runsDirectory: temp.path).first?.status, .interrupted)

        record.host = "another-host.example"
        try PrivateFile.write(record.encoded(), to: ledger.ledgerPath)
        XCTAssertEqual(RunLedger.list(runsDirectory: temp.path).first?.status, .running, "another host's process cannot be judged from here")
    }
}
