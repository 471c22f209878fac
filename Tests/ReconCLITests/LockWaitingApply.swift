import Apply
import Foundation
import TestSupport

/// A real `recon apply` started while the test holds the lock, handed back once it waits for the lock with
/// its signal handlers in place: it claims the state folder (0700, from the 0755 set here) just before.
struct LockWaitingApply {
    let process: Process
    let lease: Lease
    private let output: Pipe

    init(_ project: CLIProject, lockTimeout: String) throws {
        project.directory.write("state/keep", "")
        lease = try Lease.acquire(path: project.path + "/state/.lock", operation: "apply", ttl: 900, heartbeat: false)
        chmod(project.path + "/state", 0o755)
        process = Process()
        process.executableURL = URL(fileURLWithPath: ReconProcess.executable)
        process.arguments = ["apply", "--auto-approve", "--lock-timeout", lockTimeout]
        process.currentDirectoryURL = URL(fileURLWithPath: project.path)
        output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        func mode() -> Int { ((try? FileManager.default.attributesOfItem(atPath: project.path + "/state"))?[.posixPermissions] as? Int) ?? 0 }
        while process.isRunning, mode() != 0o700, Date() < deadline { usleep(2_000) }
        usleep(200_000)
    }

    /// Sends `signal`, releases the lock, and returns everything the run printed once it has exited.
    func interrupt(with signal: Int32) throws -> String {
        _ = Glibc.kill(process.processIdentifier, signal)
        try lease.release()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }
}
