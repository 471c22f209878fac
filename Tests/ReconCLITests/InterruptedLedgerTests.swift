import Foundation
import TestSupport
import XCTest

/// A run killed with SIGKILL right after a batch reached the state journal: its ledger, as `recon
/// runs` reports it, counts every record the journal holds (it once trailed by one batch) and
/// exactly what its outcomes hold.
final class InterruptedLedgerTests: XCTestCase {
    func testAKilledRunCountsEveryBatchTheStateHolds() throws {
        for point in [2, 5, 9] {
            let project = CLIProject(protected: false)
            for index in 0..<40 { project.skill("p\(index % 2)", "s\(index)") }
            project.repo.commit("skills")
            let process = try ReconProcess.start(["apply", "--auto-approve", "--batch-size", "1"], in: project.path)
            // Killed the moment the journal holds `point` lines: between a batch's journal line and
            // whatever the run writes next.
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning, journaledRecords(project) < point, Date() < deadline { usleep(200) }
            XCTAssertTrue(process.isRunning, "point \(point): the run ended before the kill")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let journaled = journaledRecords(project)
            let runs = try project.recon("runs", "--format", "json")
            XCTAssertEqual(runs.status, 0, runs.stderr)
            let listing = try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as! [String: Any]
            let run = (listing["runs"] as! [[String: Any]])[0]
            XCTAssertEqual(run["status"] as? String, "interrupted")
            let counters = run["counters"] as! [String: Any]
            let created = counters["created"] as! Int
            let outcomes = (project.directory.read("state/runs/\(run["id"] as! String)/outcomes.jsonl") ?? "")
                .split(separator: "\n").filter { $0.contains("\"ok\"") }.count
            let inBase = Int(project.sql("SELECT (SELECT COUNT(*) FROM Skills) + (SELECT COUNT(*) FROM Plugins)").first ?? "0") ?? 0
            XCTAssertGreaterThanOrEqual(created, journaled, "point \(point): the ledger counts every record the state journal holds")
            XCTAssertEqual(created, outcomes, "point \(point): the ledger counts exactly its outcomes")
            XCTAssertLessThanOrEqual(created, inBase, "point \(point): and nothing that did not reach the base")
            XCTAssertLessThanOrEqual(inBase - journaled, 1, "point \(point): at most the batch in flight is unknown to the state")
        }
    }

    /// Records the state journal holds (one `record` line per created record at batch size 1).
    private func journaledRecords(_ project: CLIProject) -> Int {
        let journal = project.directory.read("state/recon.state.journal") ?? ""
        return journal.components(separatedBy: "\"op\":\"record\"").count - 1
    }
}
