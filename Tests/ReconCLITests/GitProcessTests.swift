import Foundation
import TestSupport
import XCTest

/// git as the real `recon` runs it: a clone that never answers is bounded by a timeout, and recon's
/// SIGTERM or SIGINT kills git's whole process group, so nothing is left running and the lock is freed.
final class GitProcessTests: XCTestCase {
    /// A project whose repo is an `ssh://` URL served by a fake ssh that records its pid and hangs.
    private final class HungRemote {
        let directory = TemporaryDirectory("hung-remote")
        var path: String { directory.path }
        var pidFile: String { directory.file("ssh.pid") }

        init(gitTimeout: Int? = nil) {
            directory.write("fake-ssh.sh", "#!/bin/sh\necho $$ > '\(directory.file("ssh.pid"))'\nexec sleep 300\n")
            chmod(directory.file("fake-ssh.sh"), 0o755)
            directory.write("manifests/schema.yaml", """
                target: {provider: sqlite, database: state/catalog.sqlite}
                tables:
                  - name: Skills
                    key: Key
                    fields:
                      - {name: Key, type: singleLineText}
                      - {name: Name, type: singleLineText}
                repos:
                  - name: remote
                    url: ssh://recon.invalid/skills.git
                    \(gitTimeout.map { "git_timeout: \($0)" } ?? "")
                    extract:
                      - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, fields: {Name: name}}
                """)
        }

        var environment: [String: String] { ["GIT_SSH_COMMAND": directory.file("fake-ssh.sh")] }

        /// The fake ssh's pid once it has started, waiting up to 30 s.
        func helperPid() -> pid_t? {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if let text = directory.read("ssh.pid"), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return pid }
                usleep(20_000)
            }
            return nil
        }
    }

    /// Running and not a zombie waiting for a parent that may never reap it.
    private func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return !stat[close...].dropFirst(2).hasPrefix("Z")
    }

    private func waitUntilGone(_ pid: pid_t) -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while isRunning(pid), Date() < deadline { usleep(20_000) }
        return !isRunning(pid)
    }

    func testAHungCloneTimesOutAndItsProcessGroupIsKilled() throws {
        let remote = HungRemote(gitTimeout: 1)
        let result = try ReconProcess.run(["extract"], in: remote.path, environment: remote.environment)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("git clone timed out after 1 s"), result.stderr)
        XCTAssertTrue(result.stderr.contains("git_timeout"), "the hint names the setting: \(result.stderr)")
        let pid = try XCTUnwrap(remote.helperPid(), "the fake ssh ran")
        XCTAssertTrue(waitUntilGone(pid), "the fake ssh \(pid), in git's process group, was killed")
    }

    func testTheTimeoutCanComeFromTheEnvironment() throws {
        let remote = HungRemote()
        var environment = remote.environment
        environment["RECON_GIT_TIMEOUT"] = "1"
        let result = try ReconProcess.run(["plan"], in: remote.path, environment: environment)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("git clone timed out after 1 s"), result.stderr)
        XCTAssertTrue(waitUntilGone(try XCTUnwrap(remote.helperPid())))
    }

    func testABadTimeoutInTheEnvironmentIsAnError() throws {
        let project = CLIProject()
        project.skill("p0", "s0")
        project.repo.commit("one")
        let result = try ReconProcess.run(["extract"], in: project.path, environment: ["RECON_GIT_TIMEOUT": "soon"])
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("RECON_GIT_TIMEOUT") && result.stderr.contains("'soon'"), result.stderr)
    }

    /// SIGTERM or SIGINT to recon while git hangs: recon ends at once, git's group is gone, the lock is freed.
    func testSignalToReconKillsGitsProcessGroup() throws {
        for (arguments, signal) in [(["apply", "--auto-approve"], SIGTERM), (["apply", "--auto-approve"], SIGINT),
                                    (["plan"], SIGTERM), (["extract"], SIGINT)] {
            let remote = HungRemote()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ReconProcess.executable)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: remote.path)
            process.environment = ProcessInfo.processInfo.environment.merging(remote.environment) { _, new in new }
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            let pid = try XCTUnwrap(remote.helperPid(), "\(arguments): the fake ssh ran")
            kill(process.processIdentifier, signal)
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            let stillRunning = process.isRunning
            if stillRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let gone = waitUntilGone(pid)
            if !gone { kill(pid, SIGKILL) }
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertFalse(stillRunning, "\(arguments) \(signal): recon kept waiting for git")
            XCTAssertNotEqual(process.terminationStatus, 0, stderr)
            XCTAssertTrue(gone, "\(arguments) \(signal): git's process group outlived recon")
            XCTAssertFalse(remote.directory.exists("state/.lock"), "\(arguments) \(signal): the lock is released")
        }
    }
}
