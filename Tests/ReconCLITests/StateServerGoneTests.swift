import Foundation
import TestSupport
import XCTest

/// The PostgreSQL state's server going away mid-apply (issue 9, point 3), on a cluster of the test's own: the run
/// stops with a clear error that holds no password, and once the server is back the next apply converges.
final class StateServerGoneTests: XCTestCase {
    func testTheServerStoppedBetweenBatchesStopsTheRunAndTheNextApplyConverges() throws {
        let server = try PostgresServer.makePrivate()
        let shared = SharedClones(server: server, skills: 8)
        let scratch = TemporaryDirectory("server-gone")
        let pause = scratch.path + "/go"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReconProcess.executable)
        process.arguments = ["apply", "--auto-approve", "--batch-size", "2"]
        process.currentDirectoryURL = URL(fileURLWithPath: shared.clones[0].path)
        process.environment = shared.environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                                                          "RECON_TEST_PAUSE_AFTER_BATCH": "2", "RECON_TEST_PAUSE_FILE": pause]) { $1 }
        let errors = scratch.path + "/stderr"
        XCTAssertTrue(FileManager.default.createFile(atPath: errors, contents: nil))
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        try process.run()
        var waited = 0
        while !FileManager.default.fileExists(atPath: pause + ".waiting"), process.isRunning, waited < 1200 {
            usleep(100_000)
            waited += 1
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: pause + ".waiting"), "the apply reached its second batch")
        try server.stop()
        XCTAssertTrue(FileManager.default.createFile(atPath: pause, contents: nil))
        process.waitUntilExit()
        let message = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        XCTAssertEqual(process.terminationStatus, 1, message)
        XCTAssertTrue(message.contains("error:"), message)
        XCTAssertFalse(message.contains(server.password), "no password in the error: \(message)")
        XCTAssertFalse(message.contains("postgresql://"), "no URI in the error: \(message)")
        XCTAssertTrue(message.contains("stopped after 2 added"), "the batch whose state was lost is not counted: \(message)")
        XCTAssertEqual(shared.sql("SELECT COUNT(*) FROM Skills"), ["4"], "two batches reached the base")

        try server.start()
        let plan = try shared.recon(1, "plan")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("6 to add") || plan.stdout.contains("4 to add"), plan.stdout)
        let converged = try shared.recon(1, "apply", "--auto-approve")
        XCTAssertEqual(converged.status, 0, converged.stderr + converged.stdout)
        XCTAssertEqual(shared.sql("SELECT COUNT(*) FROM Skills"), ["8"], "no duplicate, none missing")
        let settled = try shared.recon(0, "plan", "-detailed-exitcode")
        XCTAssertEqual(settled.status, 0, settled.stdout + settled.stderr)
        let runs = try shared.runs(0)
        XCTAssertEqual(runs.map { $0["status"] as? String }, ["succeeded", "interrupted"], "\(runs)")
        try server.stop()
    }
}
