import Foundation

/// A throwaway PostgreSQL cluster for the tests: initdb into a private temp dir, listening only on
/// a Unix socket in that dir (no TCP port to collide on), started once per test process and shared.
///
/// Stopped at exit (atexit) and, should the test process die without exiting (SIGKILL, crash), by a
/// watchdog in its own session that polls the test process's pid, stops the cluster and removes the
/// dir: no stray servers either way. PostgreSQL refuses to run as root, so as root every server
/// command runs as the `postgres` user the Debian package creates. Durability settings are off:
/// the tests kill clients, never this server.
public final class PostgresServer: Sendable {
    /// The superuser the cluster is made with; its password is `password`.
    public static let user = "recon"

    public let directory: String
    public let socketDirectory: String
    public let password: String
    private let binaries: String
    private let runAs: String?
    private let startOptions: String

    /// The shared cluster, started on first use. Throws (never skips) when PostgreSQL is missing.
    public static func shared() throws -> PostgresServer { try started.get() }

    private static let started: Result<PostgresServer, any Error> = Result { try PostgresServer() }

    /// A cluster of the caller's own, for a test that stops and restarts its server; stopped at exit like the shared one.
    public static func makePrivate() throws -> PostgresServer { try PostgresServer() }

    /// A libpq URI for `database` as `user` (the superuser by default) over the socket.
    public func uri(user: String = PostgresServer.user, password: String? = nil, database: String = "postgres") -> String {
        let secret = password ?? self.password
        return "postgresql://\(user):\(secret)@/\(database)?host=\(socketDirectory)"
    }

    private init() throws {
        binaries = try Self.findBinaries()
        runAs = getuid() == 0 ? "postgres" : nil
        var template = Array("/tmp/recon-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ServerError("cannot create a temp dir for PostgreSQL") }
        directory = String(cString: made)
        socketDirectory = directory
        password = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        startOptions = "-k \(directory) -c listen_addresses= -c fsync=off -c synchronous_commit=off "
            + "-c full_page_writes=off -c shared_buffers=16MB -c max_connections=40"
        if let runAs {
            guard let account = getpwnam(runAs) else {
                throw ServerError("the tests run as root and PostgreSQL refuses root, but there is no '\(runAs)' user: install the server with 'apt-get install postgresql'")
            }
            chown(directory, account.pointee.pw_uid, account.pointee.pw_gid)
        }
        chmod(directory, 0o700)
        try startWatchdog(data: "\(directory)/data")
        let passwordFile = "\(directory)/pwfile"
        guard FileManager.default.createFile(atPath: passwordFile, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ServerError("cannot write the PostgreSQL password file")
        }
        if let runAs, let account = getpwnam(runAs) { chown(passwordFile, account.pointee.pw_uid, account.pointee.pw_gid) }
        let data = "\(directory)/data"
        try runServerCommand(["\(binaries)/initdb", "-D", data, "-U", Self.user, "--pwfile=\(passwordFile)",
                              "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"])
        unlink(passwordFile)
        try start()
        Self.atExit.withLock { stops in
            if stops.isEmpty { atexit { PostgresServer.stopAtExit() } }
            stops.append((serverCommand(["\(binaries)/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]), directory))
        }
    }

    /// Starts the cluster (again, after `stop`), waiting until it takes connections.
    public func start() throws {
        try runServerCommand(["\(binaries)/pg_ctl", "-D", "\(directory)/data", "-w", "-t", "60", "-l", "\(directory)/server.log",
                              "-o", startOptions, "start"])
    }

    /// Stops the cluster as an operator would (`pg_ctl stop -m fast`): sessions are ended, clients see the server go.
    public func stop() throws {
        try runServerCommand(["\(binaries)/pg_ctl", "-D", "\(directory)/data", "-m", "fast", "-w", "stop"])
    }

    // MARK: Stopping

    private static let atExit = NSLockedValue<[(command: [String], directory: String)]>([])

    private static func stopAtExit() {
        let stops = atExit.withLock { stops in
            defer { stops = [] }
            return stops
        }
        for stop in stops {
            _ = try? run(stop.command, log: "\(stop.directory)/command.log")
            try? FileManager.default.removeItem(atPath: stop.directory)
        }
    }

    /// Waits (in its own session, so a signal to the test's process group spares it) for this process
    /// to be gone, then stops the cluster and removes its dir. A no-op when atexit got there first.
    /// Started before initdb, so no moment leaves a server without one.
    private func startWatchdog(data: String) throws {
        let stop = serverCommand(["\(binaries)/pg_ctl", "-D", data, "-m", "immediate", "stop"])
            .map { "'\($0)'" }.joined(separator: " ")
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; "
            + "[ -d '\(data)' ] && \(stop) >/dev/null 2>&1; rm -rf '\(directory)'"
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        watchdog.arguments = ["/bin/sh", "-c", script]
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
    }

    // MARK: Commands

    private func serverCommand(_ arguments: [String]) -> [String] {
        runAs.map { ["/usr/sbin/runuser", "-u", $0, "--"] + arguments } ?? arguments
    }

    private func runServerCommand(_ arguments: [String]) throws {
        do {
            try Self.run(serverCommand(arguments), log: "\(directory)/command.log")
        } catch {
            let log = (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
            throw ServerError("\(error)\n\(log)")
        }
    }

    /// posix_spawn and waitpid, output to a file: Foundation's Process with pipes hung here, as
    /// `pg_ctl start` leaves a server behind that must share nothing with the test process.
    @discardableResult
    private static func run(_ arguments: [String], log outputPath: String) throws -> String {
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard code == 0 else { throw ServerError("cannot start \(arguments[0]): \(String(cString: strerror(code)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw ServerError("\((arguments[0] as NSString).lastPathComponent) failed (status \(status)): \(text)")
        }
        return text
    }

    /// The newest `/usr/lib/postgresql/<major>/bin` (Debian keeps the server off PATH), else PATH.
    private static func findBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let majors = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        for major in majors.reversed() where FileManager.default.isExecutableFile(atPath: "\(root)/\(major)/bin/pg_ctl") {
            return "\(root)/\(major)/bin"
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(folder)/pg_ctl") && FileManager.default.isExecutableFile(atPath: "\(folder)/initdb") {
            return String(folder)
        }
        throw ServerError("the PostgreSQL tests need a PostgreSQL server (initdb, pg_ctl), found neither in \(root)/*/bin nor on PATH: install it with 'apt-get install postgresql' (or run .ci/deps)")
    }

    public struct ServerError: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}

/// A value behind a lock, for the cluster list `atexit` reads.
final class NSLockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
