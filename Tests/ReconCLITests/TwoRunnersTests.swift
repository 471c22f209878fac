import Foundation
import TestSupport
import XCTest

/// Two runners, one truth (issue 9, point 8): two clones that share no files, one base, one PostgreSQL state.
/// A applies; B plans "No changes"; a hand edit in the base makes B's drift exit 2; concurrent applies give one
/// holder and one fast failure; A killed with SIGKILL mid-apply, B applies at once and converges. Each step's
/// command and the first lines of its output go to the test log, as a transcript of what a team would see.
final class TwoRunnersTests: XCTestCase {
    private func show(_ who: String, _ arguments: [String], _ result: ReconProcess.Result) {
        let lines = (result.stdout + result.stderr).split(separator: "\n", omittingEmptySubsequences: false).prefix(6)
        print("\(who)$ recon \(arguments.joined(separator: " "))   → exit \(result.status)")
        for line in lines where !line.isEmpty { print("    \(line)") }
    }

    private func run(_ shared: SharedClones, _ clone: Int, _ arguments: String..., environment: [String: String] = [:]) throws -> ReconProcess.Result {
        let result = try ReconProcess.run(arguments, in: shared.clones[clone].path, environment: shared.environment.merging(environment) { $1 })
        show(clone == 0 ? "A" : "B", arguments, result)
        return result
    }

    /// `recon apply` in clone A as a child process, so the test can act while it runs.
    private func startApply(_ shared: SharedClones, environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReconProcess.executable)
        process.arguments = ["apply", "--auto-approve", "--batch-size", "2"]
        process.currentDirectoryURL = URL(fileURLWithPath: shared.clones[0].path)
        process.environment = shared.environment.merging(environment) { $1 }
            .merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func testTwoRunnersOneTruth() throws {
        let server = try PostgresServer.shared()
        let shared = SharedClones(server: server, skills: 4)

        // A applies; B, sharing nothing but the state, has nothing to do.
        XCTAssertEqual(try run(shared, 0, "apply", "--auto-approve").status, 0)
        let seen = try run(shared, 1, "plan", "-detailed-exitcode")
        XCTAssertEqual(seen.status, 0, seen.stdout + seen.stderr)
        XCTAssertTrue(seen.stdout.contains("No changes"), seen.stdout)
        let alone = try run(shared, 1, "plan", "--state-backend", "local")
        XCTAssertEqual(alone.status, 1, "without the shared state, B is told, not left to take the base over")

        // A hand edit in the base is drift for B, which restores it.
        _ = shared.sql("UPDATE Skills SET Name = 'edited by hand' WHERE Key = 'core:plugins/alpha/skills/s1'")
        let drift = try run(shared, 1, "drift")
        XCTAssertEqual(drift.status, 2, drift.stdout + drift.stderr)
        XCTAssertTrue(drift.stdout.contains("edited by hand"), drift.stdout)
        XCTAssertEqual(try run(shared, 1, "apply", "--auto-approve").status, 0)

        // Concurrent applies: A holds the lock (paused after its first batch); B fails at once, naming A.
        for index in 4..<10 { shared.skill("s\(index)") }
        shared.repo.commit("six more")
        let pause = shared.clones[0].path + "/go"
        let holder = try startApply(shared, environment: ["RECON_TEST_PAUSE_AFTER_BATCH": "1", "RECON_TEST_PAUSE_FILE": pause])
        var waited = 0
        while !FileManager.default.fileExists(atPath: pause + ".waiting"), holder.isRunning, waited < 1200 {
            usleep(100_000)
            waited += 1
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: pause + ".waiting"), "A reached its first batch holding the lock")
        print("A$ recon apply --auto-approve --batch-size 2   (running, holds the lock)")
        let refused = try run(shared, 1, "apply", "--auto-approve")
        XCTAssertEqual(refused.status, 1, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is locked by"), refused.stderr)
        XCTAssertTrue(holder.isRunning, "B failed while A still held the lock: it did not wait")
        XCTAssertTrue(FileManager.default.createFile(atPath: pause, contents: nil))
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationStatus, 0, "A, released, finishes its apply")
        print("A   (released) → exit \(holder.terminationStatus)")
        XCTAssertEqual(shared.sql("SELECT count(*) FROM Skills"), ["10"])

        // A killed with SIGKILL after its second batch reached the base; B applies at once and converges.
        for index in 10..<16 { shared.skill("s\(index)") }
        shared.repo.commit("six more again")
        let killed = try startApply(shared, environment: ["RECON_TEST_KILL_AFTER_BATCH": "2"])
        killed.waitUntilExit()
        XCTAssertEqual(killed.terminationReason, .uncaughtSignal)
        XCTAssertEqual(killed.terminationStatus, SIGKILL)
        print("A$ recon apply --auto-approve --batch-size 2   → killed by SIGKILL after its second batch")
        let converged = try run(shared, 1, "apply", "--auto-approve")
        XCTAssertEqual(converged.status, 0, converged.stdout + converged.stderr)
        let quiet = try run(shared, 0, "plan", "-detailed-exitcode")
        XCTAssertEqual(quiet.status, 0, quiet.stdout + quiet.stderr)
        XCTAssertTrue(quiet.stdout.contains("No changes"), quiet.stdout)
        XCTAssertEqual(shared.sql("SELECT count(*), count(DISTINCT Key) FROM Skills"), ["16|16"], "every skill once")
        let statuses = try shared.runs(1).compactMap { $0["status"] as? String }
        XCTAssertTrue(statuses.contains("interrupted"), "B lists A's killed run as interrupted: \(statuses)")
        shared.assertNothingLocal()
    }
}
