import Foundation
import ReconCore

/// One child started with `posix_spawn` in a process group of its own, with default signal actions and an
/// empty signal mask (recon blocks and ignores SIGINT/SIGTERM for its own handling; a child must not
/// inherit that). The group is killed when the timeout passes, when recon is interrupted
/// (`ChildProcessGroups.stopAll`) or on `kill()`, so nothing the child started outlives it.
public final class ChildProcess: @unchecked Sendable {
    /// How the child ended.
    public enum Ending: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    public let pid: pid_t
    /// Read ends of the child's stdout and stderr (-1 when it shares stdout); the write end of its stdin
    /// (-1 when it reads /dev/null).
    public let stdout: Int32
    public let stderr: Int32
    public let stdin: Int32

    private let lock = NSLock()
    private var exited = false
    private var expired = false
    private var watchdog: DispatchWorkItem?
    private let grace: TimeInterval?

    /// Starts `arguments[0]` (or `executable` when given), found on PATH when it has no `/`, with exactly
    /// `environment`, in recon's working directory. `combinesOutput` sends stderr to the stdout pipe. With a
    /// `grace`, the timeout sends SIGTERM to the group first and SIGKILL only `grace` seconds later.
    public init(_ arguments: [String], executable: String? = nil, environment: [String: String],
                feedsInput: Bool, combinesOutput: Bool = false, timeout: TimeInterval?, grace: TimeInterval? = nil) throws {
        self.grace = grace
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1], inPipe: [Int32] = [-1, -1]
        try ChildProcess.makePipe(&outPipe)
        if !combinesOutput { try ChildProcess.makePipe(&errPipe) }
        if feedsInput { try ChildProcess.makePipe(&inPipe) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if feedsInput {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, combinesOutput ? outPipe[1] : errPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        ChildProcess.closeInheritedOnExec()
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawnp(&child, executable ?? arguments[0], &actions, &attributes, argv, envp)
        close(outPipe[1])
        if errPipe[1] >= 0 { close(errPipe[1]) }
        if feedsInput { close(inPipe[0]) }
        guard status == 0 else {
            for fd in [outPipe[0], errPipe[0], inPipe[1]] where fd >= 0 { close(fd) }
            throw ReconError("cannot run \(arguments[0]): \(String(cString: strerror(status)))")
        }
        pid = child
        stdout = outPipe[0]
        stderr = errPipe[0]
        stdin = inPipe[1]
        guard ChildProcessGroups.register(child) else {
            _ = reap()
            for fd in [stdout, stderr, stdin] where fd >= 0 { close(fd) }
            throw ReconError("recon is stopping (interrupted); \(arguments[0]) was not run")
        }
        if let timeout {
            let item = DispatchWorkItem { [weak self] in self?.expire() }
            watchdog = item
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: item)
        }
    }

    /// True when the timeout killed the child.
    public var timedOut: Bool { lock.withLock { expired } }

    /// Whether the child has ended; it stays unreaped (its group id reserved) until `wait()`.
    public var hasEnded: Bool {
        var info = siginfo_t()
        return waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info._sifields._kill.si_pid != 0
    }

    /// Kills the whole group now (the caller stopped reading early, or the leader ended and left children).
    public func kill() {
        lock.withLock { if !exited { _ = Glibc.kill(-pid, SIGKILL) } }
    }

    private func expire() {
        lock.withLock {
            guard !exited else { return }
            expired = true
            guard let grace else {
                _ = Glibc.kill(-pid, SIGKILL)
                return
            }
            _ = Glibc.kill(-pid, SIGTERM)
            DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [weak self] in self?.kill() }
        }
    }

    /// Waits for the child to end and reaps it. The group is forgotten while the exited leader still holds
    /// its id (`WNOWAIT`), so a kill can never reach a reused process group.
    public func wait() -> Ending {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
        lock.withLock { exited = true }
        watchdog?.cancel()
        ChildProcessGroups.unregister(pid)
        return reap()
    }

    private func reap() -> Ending {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
    }

    /// Marks every descriptor above stderr close-on-exec, so a child gets only its three: recon may hold
    /// descriptors inherited from its own caller, and a child left running must not keep that caller waiting.
    private static func closeInheritedOnExec() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let descriptor = Int32(name), descriptor > 2 else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Both ends close on exec, so no other child inherits them; `posix_spawn`'s dup2 clears it on the copies.
    private static func makePipe(_ ends: inout [Int32]) throws {
        guard pipe(&ends) == 0 else { throw failure("pipe") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    }

    private static func failure(_ call: String) -> ReconError {
        ReconError("\(call) failed: \(String(cString: strerror(errno)))")
    }
}
