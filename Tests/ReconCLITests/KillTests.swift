import Foundation
import TestSupport
import XCTest

/// A real `recon apply` killed with SIGKILL at twenty different points, then planned and applied
/// again: nothing is duplicated, the state always loads, and the base ends equal to the desired state.
final class KillTests: XCTestCase {
    private func journalLines(_ project: CLIProject) -> Int {
        (project.directory.read("state/recon.state.journal") ?? "").split(separator: "\n").count
    }

    private func startApply(_ project: CLIProject) throws -> Process {
        try ReconProcess.start(["apply", "--auto-approve", "--allow", "RC101", "--batch-size", "4"], in: project.path)
    }

    /// Kill point `point`: early ones by time (planning, schema, backup), later ones by batches journaled.
    private func kill(_ process: Process, at point: Int, project: CLIProject) {
        let deadline = Date().addingTimeInterval(30)
        if point % 4 == 0 {
            usleep(UInt32(5_000 + point * 6_000))
        } else {
            let target = point % 7 + 1
            while process.isRunning, journalLines(project) < target, Date() < deadline { usleep(500) }
        }
        if process.isRunning { Darwin_kill(process.processIdentifier) }
        process.waitUntilExit()
    }

    private func assertNoDuplicates(_ project: CLIProject, point: Int) {
        for table in ["Skills", "Plugins"] {
            let duplicates = project.sql("SELECT Key FROM \(table) GROUP BY Key HAVING COUNT(*) > 1")
            XCTAssertEqual(duplicates, [], "point \(point): duplicate keys in \(table)")
        }
    }

    /// The work of each round: creates, renames (updates) and removals (deletes), in turn.
    private func change(_ project: CLIProject, round: Int) {
        switch round % 3 {
        case 0:
            for index in 0..<24 { project.skill("p\(index % 4)", "r\(round)-s\(index)") }
        case 1:
            for index in 0..<24 { project.skill("p\(index % 4)", "r\(round - 1)-s\(index)", title: "renamed in round \(round)") }
        default:
            for index in stride(from: 0, to: 24, by: 2) { project.repo.remove("plugins/p\(index % 4)/skills/r\(round - 2)-s\(index)") }
        }
        project.repo.commit("round \(round)")
    }

    func testKilledAtTwentyPointsConvergesWithoutDuplicates() throws {
        let project = CLIProject(protected: false)
        var killed = 0
        for round in 0..<20 {
            change(project, round: round)
            let process = try startApply(project)
            kill(process, at: round, project: project)
            if process.terminationReason == .uncaughtSignal { killed += 1 }
            assertNoDuplicates(project, point: round)
            let plan = try project.recon("plan")
            XCTAssertEqual(plan.status, 0, "point \(round): the state must load after a kill: \(plan.stderr)")
        }
        print("KillTests: \(killed) of 20 applies died by SIGKILL mid-run")
        XCTAssertGreaterThanOrEqual(killed, 16, "most runs must die mid-apply, not finish before the kill")
        let finish = try project.recon("apply", "--auto-approve", "--allow", "RC101")
        XCTAssertEqual(finish.status, 0, finish.stderr)
        assertNoDuplicates(project, point: 20)
        let settled = try project.recon("plan", "-detailed-exitcode")
        XCTAssertEqual(settled.status, 0, settled.stdout)

        // The base equals the desired records, field by field.
        let extract = try project.recon("extract", "--format", "json")
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(extract.stdout.utf8)) as? [String: Any])
        let records = try XCTUnwrap(document["records"] as? [[String: Any]])
        let desired = records.filter { $0["table"] as? String == "Skills" }
            .map { "\($0["key"]!)|\(($0["fields"] as? [String: Any])?["Name"] ?? "")" }.sorted()
        let base = project.sql("SELECT Key || '|' || Name FROM Skills").sorted()
        XCTAssertEqual(base.count, desired.count)
        XCTAssertEqual(base, desired)
        let state = try XCTUnwrap(project.directory.read("state/recon.state.json"))
        XCTAssertTrue(state.contains("\"lineage\""))
        XCTAssertFalse(project.directory.exists("state/.lock"), "the last apply released the lock")
    }
}

extension KillTests {
    func testInterruptFinishesTheBatchSavesStateAndExits130() throws {
        for signal in [SIGINT, SIGTERM] {
            let project = CLIProject()
            for index in 0..<80 { project.skill("p\(index % 4)", "s\(index)") }
            project.repo.commit("many")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ReconProcess.executable)
            process.arguments = ["apply", "--auto-approve", "--batch-size", "1"]
            process.currentDirectoryURL = URL(fileURLWithPath: project.path)
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning, journalLines(project) < 12, Date() < deadline { usleep(500) }
            _ = Glibc.kill(process.processIdentifier, signal)
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 130, text)
            XCTAssertTrue(text.contains("Apply cancelled"), text)
            XCTAssertFalse(project.directory.exists("state/.lock"), "the lock is released")
            let runs = try project.recon("runs", "--format", "json")
            XCTAssertTrue(runs.stdout.contains("\"cancelled\""), runs.stdout)
            let done = Int(project.sql("SELECT (SELECT COUNT(*) FROM Skills) + (SELECT COUNT(*) FROM Plugins)").first ?? "0") ?? 0
            XCTAssertGreaterThan(done, 4)
            XCTAssertLessThan(done, 84)
            let rest = try project.recon("plan")
            XCTAssertTrue(rest.stdout.contains("Plan: \(84 - done) to add, 0 to change"), "exactly what is left: \(rest.stdout.suffix(200))")
        }
    }

    func testMaxSecondsBoundsARun() throws {
        let project = CLIProject()
        for index in 0..<200 { project.skill("p\(index % 4)", "s\(index)") }
        project.repo.commit("many")
        let result = try project.recon("apply", "--auto-approve", "--batch-size", "1", "--max-seconds", "0")
        XCTAssertEqual(result.status, 130, result.stderr)
        XCTAssertTrue(result.stdout.contains("Apply cancelled"), result.stdout)
        XCTAssertTrue(try project.recon("plan", "-detailed-exitcode").status == 2)
    }
}

/// SIGKILL by pid (Foundation's `terminate()` sends SIGTERM, which Recon handles gracefully).
private func Darwin_kill(_ pid: Int32) {
    _ = Glibc.kill(pid, SIGKILL)
}
