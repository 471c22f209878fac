import Foundation
import TestSupport
import XCTest

/// `recon lock` against leases held by real processes (`recon-apply-probe`), local and in PostgreSQL (issue 11).
final class LockCommandTests: XCTestCase {
    private func json(_ result: ReconProcess.Result) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout + result.stderr)
    }

    func testAFreeStateExitsZero() throws {
        let project = CLIProject()
        let text = try project.recon("lock")
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertEqual(text.stdout, "The state is not locked (state/.lock).\n")
        let document = try json(try project.recon("lock", "--format", "json"))
        XCTAssertEqual(document["locked"] as? Bool, false)
        XCTAssertTrue(document["holder"] is NSNull)
    }

    func testALiveHolderIsShownWithItsPidAndExitsTwo() throws {
        let project = CLIProject()
        let holder = try LeaseHolder(["hold", project.path + "/state/.lock", "600"])
        defer { holder.kill() }
        let text = try project.recon("lock", "--no-color")
        XCTAssertEqual(text.status, 2, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("The state is locked (state/.lock).\n"), text.stdout)
        XCTAssertTrue(text.stdout.contains("  pid:        \(holder.pid) on "), text.stdout)
        XCTAssertTrue(text.stdout.contains(" (alive)\n"), text.stdout)
        XCTAssertTrue(text.stdout.contains("  operation:  probe\n"), text.stdout)
        XCTAssertTrue(text.stdout.contains("  lease id:   \(holder.id)\n"), text.stdout)
        XCTAssertFalse(text.stdout.contains("force-unlock"), "a live holder is not stale: \(text.stdout)")

        let result = try project.recon("lock", "--format", "json")
        XCTAssertEqual(result.status, 2)
        let document = try json(result)
        let lease = try XCTUnwrap(document["holder"] as? [String: Any])
        XCTAssertEqual(lease["pid"] as? Int, Int(holder.pid))
        XCTAssertEqual(lease["process_alive"] as? Bool, true)
        XCTAssertEqual(lease["operation"] as? String, "probe")
        XCTAssertGreaterThan(try XCTUnwrap(lease["expires_in_seconds"] as? Double), 0)
        XCTAssertTrue(document["stale"] is NSNull)
        XCTAssertTrue(document["force_unlock"] is NSNull)
    }

    func testAKilledHolderIsStaleAndTheExactForceUnlockCommandIsShown() throws {
        let project = CLIProject()
        let holder = try LeaseHolder(["hold", project.path + "/state/.lock", "600"])
        holder.kill()
        let text = try project.recon("lock", "--no-color")
        XCTAssertEqual(text.status, 2, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("The state has a stale lock (state/.lock).\n"), text.stdout)
        XCTAssertTrue(text.stdout.contains("(not running)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Stale: its process \(holder.pid) on "), text.stdout)
        XCTAssertTrue(text.stdout.hasSuffix("to remove it now:\n  recon force-unlock \(holder.id)\n"), text.stdout)

        let document = try json(try project.recon("lock", "--format", "json"))
        XCTAssertEqual(document["force_unlock"] as? String, "recon force-unlock \(holder.id)")
        XCTAssertEqual((document["holder"] as? [String: Any])?["process_alive"] as? Bool, false)

        let unlock = try project.recon("force-unlock", holder.id)
        XCTAssertEqual(unlock.status, 0, unlock.stderr)
        XCTAssertEqual(try project.recon("lock").status, 0, "the command shown removes the lease")
    }

    /// The command shown must work as typed: with the state elsewhere, force-unlock needs the same --state.
    func testTheForceUnlockCommandNamesAStateGivenWithState() throws {
        let project = CLIProject()
        let holder = try LeaseHolder(["hold", project.path + "/other/.lock", "600"])
        holder.kill()
        let document = try json(try project.recon("lock", "--state", "other/recon.state.json", "--format", "json"))
        XCTAssertEqual(document["force_unlock"] as? String, "recon force-unlock \(holder.id) --state 'other/recon.state.json'")
        let unlock = try ReconProcess.run(["force-unlock", holder.id, "--state", "other/recon.state.json"], in: project.path)
        XCTAssertEqual(unlock.status, 0, unlock.stderr)
        XCTAssertEqual(try project.recon("lock", "--state", "other/recon.state.json").status, 0)
    }

    func testAnUnreadableLeaseIsAnError() throws {
        let project = CLIProject()
        project.directory.write("state/.lock", "{not a lease")
        let result = try project.recon("lock")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("the lock file state/.lock is not a valid lease"), result.stderr)
    }

    func testThePostgreSQLLockIsShownWhileHeldAndStaleOnceItsHolderDies() throws {
        let server = try PostgresServer.shared()
        let schema = "lock_\(UUID().uuidString.prefix(8).lowercased())"
        let project = CLIProject()
        project.directory.write("manifests/state.yaml", "state:\n  backend: postgres\n  url_env: TEAM_STATE_URL\n  schema: \(schema)\n")
        let environment = ["TEAM_STATE_URL": server.uri()]
        let free = try ReconProcess.run(["lock", "--format", "json"], in: project.path, environment: environment)
        XCTAssertEqual(free.status, 0, free.stderr)
        XCTAssertEqual(try json(free)["backend"] as? String, "postgres")

        let holder = try LeaseHolder(["pg-lock", server.uri(), schema, "sqlite:state/catalog.sqlite", "600"])
        let held = try ReconProcess.run(["lock", "--format", "json"], in: project.path, environment: environment)
        XCTAssertEqual(held.status, 2, held.stderr)
        var document = try json(held)
        XCTAssertEqual((document["holder"] as? [String: Any])?["id"] as? String, holder.id)
        XCTAssertEqual((document["holder"] as? [String: Any])?["pid"] as? Int, Int(holder.pid))
        XCTAssertEqual((document["holder"] as? [String: Any])?["process_alive"] as? Bool, true)
        XCTAssertTrue(document["stale"] is NSNull, held.stdout)

        holder.kill()
        var stale = try ReconProcess.run(["lock", "--format", "json"], in: project.path, environment: environment)
        // The server ends the dead holder's session on its own clock: look again for a while, never asserting on time.
        for _ in 0..<100 where (try? json(stale))?["stale"] is NSNull {
            usleep(100_000)
            stale = try ReconProcess.run(["lock", "--format", "json"], in: project.path, environment: environment)
        }
        XCTAssertEqual(stale.status, 2, stale.stderr)
        document = try json(stale)
        XCTAssertEqual(document["force_unlock"] as? String, "recon force-unlock \(holder.id)", stale.stdout)
        XCTAssertEqual((document["holder"] as? [String: Any])?["process_alive"] as? Bool, false)
        XCTAssertFalse(stale.stdout.contains(server.password))
    }
}

/// A `recon-apply-probe` process holding a lease (`hold` or `pg-lock`) until killed; `id` is its lease id.
final class LeaseHolder {
    let process = Process()
    private(set) var id = ""
    var pid: Int32 { process.processIdentifier }

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: (ReconProcess.executable as NSString).deletingLastPathComponent + "/recon-apply-probe")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = [UInt8]()
        while let byte = try pipe.fileHandleForReading.read(upToCount: 1)?.first, byte != 0x0A { line.append(byte) }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("acquired ") else {
            kill()
            throw NSError(domain: "LeaseHolder", code: 1, userInfo: [NSLocalizedDescriptionKey: text])
        }
        id = String(text.dropFirst("acquired ".count))
    }

    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }
}
