import Foundation
import State
import TestSupport
import XCTest

/// The real `recon` with its state in PostgreSQL (issue 9): chosen by the manifests' `state:` block
/// or `--state-backend`, the lock between real processes, and the URI kept out of every output and file.
final class PostgresStateCommandTests: XCTestCase {
    private let target = "sqlite:state/catalog.sqlite"

    private func freshSchema() -> String { "cli_\(UUID().uuidString.prefix(8).lowercased())" }

    /// A project whose manifests keep the state in `schema`, the URI in TEAM_STATE_URL.
    private func project(schema: String) -> CLIProject {
        let project = CLIProject()
        project.directory.write("manifests/state.yaml", "state:\n  backend: postgres\n  url_env: TEAM_STATE_URL\n  schema: \(schema)\n")
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("skills")
        return project
    }

    private func recon(_ project: CLIProject, _ arguments: [String], environment: [String: String]) throws -> ReconProcess.Result {
        try ReconProcess.run(arguments, in: project.path, environment: environment)
    }

    /// Every file of the project, read whole: none may hold the password.
    private func assertNoFileHolds(_ secret: String, in project: CLIProject, file: StaticString = #filePath, line: UInt = #line) {
        let enumerator = FileManager.default.enumerator(atPath: project.path)
        while let relative = enumerator?.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: project.path + "/" + relative) else { continue }
            XCTAssertFalse(String(decoding: data, as: UTF8.self).contains(secret), "\(relative) holds the password", file: file, line: line)
        }
    }

    func testApplyPlanAndDriftUseTheStateInPostgreSQLNamedByTheManifests() throws {
        let server = try PostgresServer.shared()
        let schema = freshSchema()
        let project = project(schema: schema)
        let environment = ["TEAM_STATE_URL": server.uri()]

        let applied = try recon(project, ["apply", "--auto-approve"], environment: environment)
        XCTAssertEqual(applied.status, 0, applied.stderr + applied.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/state/recon.state.json"), "no local state")
        let store = try PostgresStateStore(connectionString: server.uri(), schema: schema, target: target)
        let state = try XCTUnwrap(try store.load(expectedTarget: target))
        XCTAssertEqual(state.records["Skills"]?.count, 2)
        XCTAssertEqual(state.records["Plugins"]?.count, 1)

        let plan = try recon(project, ["plan"], environment: environment)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("No changes"), plan.stdout)
        let drift = try recon(project, ["drift"], environment: environment)
        XCTAssertEqual(drift.status, 0, drift.stderr + drift.stdout)
        for output in [applied, plan, drift] {
            XCTAssertFalse((output.stdout + output.stderr).contains(server.password))
        }
        assertNoFileHolds(server.password, in: project)

        // --state-backend local overrides the block for one run: no local state, and the base holds the records.
        let local = try recon(project, ["plan", "--state-backend", "local"], environment: environment)
        XCTAssertEqual(local.status, 1, local.stderr)
        XCTAssertTrue(local.stderr.contains("no state in state/recon.state.json"), local.stderr)
    }

    func testTheFlagChoosesPostgreSQLWithoutAStateBlockAndAMissingVariableWritesNothing() throws {
        let server = try PostgresServer.shared()
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("skills")

        let unset = try recon(project, ["apply", "--auto-approve", "--state-backend", "postgres"], environment: [:])
        XCTAssertEqual(unset.status, 1, unset.stderr)
        XCTAssertTrue(unset.stderr.contains("RECON_STATE_URL is not set"), unset.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/state/catalog.sqlite"), "nothing was written")

        let bad = try recon(project, ["plan", "--state-backend", "postgress"], environment: [:])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("invalid --state-backend 'postgress'"), bad.stderr)

        // A wrong password: the error names the failure, never the URI or either password.
        let wrong = server.uri(password: "not-the-password-\(server.password.prefix(4))")
        let refused = try recon(project, ["plan", "--state-backend", "postgres"], environment: ["RECON_STATE_URL": wrong])
        XCTAssertEqual(refused.status, 1)
        XCTAssertFalse(refused.stderr.contains("not-the-password"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains(server.socketDirectory + "?"), refused.stderr)

        let applied = try recon(project, ["apply", "--auto-approve", "--state-backend", "postgres"], environment: ["RECON_STATE_URL": server.uri()])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        let store = try PostgresStateStore(connectionString: server.uri(), target: target)
        XCTAssertEqual(try store.load(expectedTarget: target)?.records["Skills"]?.count, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/state/recon.state.json"))
    }

    /// A holder (a real process with the PostgreSQL lock) makes `recon apply` fail at once naming it;
    /// an apply waiting with --lock-timeout goes on the moment the holder is SIGKILLed; force-unlock
    /// breaks a lease by its id.
    func testTheLockBetweenRealProcesses() throws {
        let server = try PostgresServer.shared()
        let schema = freshSchema()
        let project = project(schema: schema)
        let environment = ["TEAM_STATE_URL": server.uri()]

        let holder = try LockHolder(uri: server.uri(), schema: schema, target: target)
        let busy = try recon(project, ["apply", "--auto-approve"], environment: environment)
        XCTAssertEqual(busy.status, 1, busy.stderr)
        XCTAssertTrue(busy.stderr.contains("pid \(holder.pid)"), busy.stderr)
        XCTAssertTrue(busy.stderr.contains("lease id \(holder.id)"), busy.stderr)
        XCTAssertTrue(busy.stderr.contains("recon force-unlock \(holder.id)"), busy.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.path + "/state/catalog.sqlite"), "nothing was written")

        // SIGKILL: its lease row stays, but the lock went with its connection: the next apply goes on at once.
        holder.kill()
        let applied = try recon(project, ["apply", "--auto-approve"], environment: environment)
        XCTAssertEqual(applied.status, 0, applied.stderr)

        let forced = try LockHolder(uri: server.uri(), schema: schema, target: target)
        let unlocked = try recon(project, ["force-unlock", forced.id], environment: environment)
        XCTAssertEqual(unlocked.status, 0, unlocked.stderr)
        XCTAssertTrue(unlocked.stdout.contains(forced.id), unlocked.stdout)
        let wrongID = try recon(project, ["force-unlock", forced.id], environment: environment)
        XCTAssertEqual(wrongID.status, 1, "that lease is gone")
        project.skill("beta", "three")
        project.repo.commit("more")
        let afterForce = try recon(project, ["apply", "--auto-approve"], environment: environment)
        XCTAssertEqual(afterForce.status, 0, afterForce.stderr)
        forced.kill()

        let last = try LockHolder(uri: server.uri(), schema: schema, target: target)
        project.skill("beta", "four")
        project.repo.commit("more")
        let waiting = Process()
        waiting.executableURL = URL(fileURLWithPath: ReconProcess.executable)
        waiting.arguments = ["apply", "--auto-approve", "--lock-timeout", "5m"]
        waiting.currentDirectoryURL = URL(fileURLWithPath: project.path)
        waiting.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "TEAM_STATE_URL": server.uri()]
        waiting.standardOutput = FileHandle.nullDevice
        waiting.standardError = FileHandle.nullDevice
        try waiting.run()
        usleep(500_000)
        last.kill()
        waiting.waitUntilExit()
        XCTAssertEqual(waiting.terminationStatus, 0, "the waiting apply went on once the holder died")
        let store = try PostgresStateStore(connectionString: server.uri(), schema: schema, target: target)
        XCTAssertEqual(try store.load(expectedTarget: target)?.records["Skills"]?.count, 4)
    }
}

/// `recon-apply-probe pg-lock`: a real process holding the PostgreSQL lock until killed.
private final class LockHolder {
    let process = Process()
    let id: String
    var pid: Int32 { process.processIdentifier }

    init(uri: String, schema: String, target: String) throws {
        let probe = (ReconProcess.executable as NSString).deletingLastPathComponent + "/recon-apply-probe"
        process.executableURL = URL(fileURLWithPath: probe)
        process.arguments = ["pg-lock", uri, schema, target, "600"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = [UInt8]()
        while let byte = try pipe.fileHandleForReading.read(upToCount: 1)?.first, byte != 0x0A { line.append(byte) }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("acquired ") else { throw NSError(domain: "LockHolder", code: 1, userInfo: [NSLocalizedDescriptionKey: text]) }
        id = String(text.dropFirst("acquired ".count))
    }

    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }
}
