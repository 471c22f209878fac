import Apply
import Foundation
import TestSupport
import XCTest

/// SIGTERM, as `kill` and CI runners send it, ends a run waiting for the lock, like Ctrl-C does.
final class LockWaitSignalTests: XCTestCase {
    /// A regression check for the review finding: `apply --lock-timeout 40s` stayed alive the full wait
    /// after SIGTERM, then exited 1. The wait here is ten minutes: ignoring the signal fails with status 1.
    func testSIGTERMEndsALockWaitWithStatus130() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        project.directory.write("state/keep", "")
        chmod(project.path + "/state", 0o755)
        let lease = try Lease.acquire(path: project.path + "/state/.lock", operation: "apply", ttl: 900, heartbeat: false)
        defer { try? lease.release() }
        chmod(project.path + "/state", 0o755)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReconProcess.executable)
        process.arguments = ["apply", "--auto-approve", "--lock-timeout", "10m"]
        process.currentDirectoryURL = URL(fileURLWithPath: project.path)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // The signal handlers are in place once recon claims the state folder (0700) to wait for the lock.
        let deadline = Date().addingTimeInterval(60)
        func mode() -> Int { ((try? FileManager.default.attributesOfItem(atPath: project.path + "/state"))?[.posixPermissions] as? Int) ?? 0 }
        while process.isRunning, mode() != 0o700, Date() < deadline { usleep(2_000) }
        usleep(200_000)
        _ = Glibc.kill(process.processIdentifier, SIGTERM)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130, text)
        XCTAssertTrue(text.contains("SIGTERM"), text)
        XCTAssertFalse(project.directory.exists("state/recon.state.json"), "no state was written")
        XCTAssertEqual(project.sql("SELECT name FROM sqlite_master WHERE name = 'Skills'"), [], "nothing was written")
    }
}
