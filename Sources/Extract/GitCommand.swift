import Foundation
import ReconCore

/// Runs the real `git` binary. One process per call; no libgit2, no shell.
///
/// The environment is pinned (no prompts, C locale, no pager, no system config) so output parses the same
/// everywhere, and the repo's own configuration can run nothing: see `hardening`. Each git runs in a
/// process group of its own that is killed after `timeout` or when recon is interrupted.
struct GitCommand: Sendable {
    /// The directory passed as `git -C`.
    let directory: String
    /// Seconds one git process may run before its process group is killed.
    let timeout: TimeInterval

    /// Ten minutes: a large first clone fits, a hung one does not hold the lock for ever.
    static let defaultTimeout: TimeInterval = 600
    /// Overrides `defaultTimeout` for every repo without its own `git_timeout`; a duration (`90`, `30s`, `2m`).
    static let timeoutVariable = "RECON_GIT_TIMEOUT"

    init(directory: String, timeout: TimeInterval? = nil) {
        self.directory = directory
        self.timeout = timeout ?? GitCommand.environmentTimeout ?? GitCommand.defaultTimeout
        _ = GitCommand.ignoreBrokenPipes
    }

    /// Writing to a git that has exited must return EPIPE, not kill Recon.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// `RECON_GIT_TIMEOUT` when set to a valid duration; nil when unset or invalid (see `environmentError`).
    private static let environmentTimeout: TimeInterval? = {
        guard let text = ProcessInfo.processInfo.environment[timeoutVariable], let seconds = DurationText.seconds(text),
              seconds >= 1 else { return nil }
        return seconds
    }()

    /// A `RECON_GIT_TIMEOUT` that is not a duration of at least 1 s stops every git before it starts.
    private static let environmentError: String? = {
        guard let text = ProcessInfo.processInfo.environment[timeoutVariable], environmentTimeout == nil else { return nil }
        return "\(timeoutVariable) must be a duration of at least 1 s (\(DurationText.syntax)), found '\(text)'"
    }()

    /// Settings that win over every config file (`-c` beats them all): nothing a hostile `.git/config`
    /// names as a command may run. fsmonitor and hooks would run on `ls-files`; pager, external diff and
    /// textconv on output; `ext::` URLs run any command; `log.showSignature` runs the gpg/ssh/x509 verifier
    /// for every signed commit. Blobs are read without `--filters`, so clean and smudge filters never run.
    static let hardening = ["--no-pager",
                            "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "core.pager=cat",
                            "-c", "diff.external=", "-c", "core.untrackedCache=false", "-c", "protocol.ext.allow=never",
                            "-c", "core.askPass=", "-c", "credential.interactive=never",
                            "-c", "log.showSignature=false"]

    /// Runs to completion and returns stdout; a non-zero exit throws with git's own message.
    @discardableResult
    func output(_ arguments: [String]) throws(GitError) -> [UInt8] {
        var collected: [UInt8] = []
        try stream(arguments) { reader in
            collected = reader.readToEnd()
            return true
        }
        return collected
    }

    /// Starts git, lets `body` read its stdout as it comes, optionally feeding stdin from another
    /// thread. `body` returns false to stop early; git is then killed and its exit ignored.
    func stream(_ arguments: [String], input: (@Sendable (FileHandle) -> Void)? = nil,
                _ body: (inout ByteStreamReader) throws -> Bool) throws(GitError) {
        if let problem = GitCommand.environmentError {
            throw GitError(arguments: arguments, directory: directory, message: problem, hint: "unset it for the default of 600 s")
        }
        let child: ChildProcess
        do {
            child = try ChildProcess(["git"] + GitCommand.hardening + ["-C", directory] + arguments,
                                     environment: GitCommand.environment, feedsInput: input != nil, timeout: timeout)
        } catch {
            throw GitError(arguments: arguments, directory: directory, message: "cannot run git: \(error)")
        }
        let errors = ErrorCollector(FileHandle(fileDescriptor: child.stderr, closeOnDealloc: true))
        if let input {
            let handle = FileHandle(fileDescriptor: child.stdin, closeOnDealloc: false)
            Thread.detachNewThread {
                input(handle)
                try? handle.close()
            }
        }
        var reader = ByteStreamReader(descriptor: child.stdout)
        var finished = true
        var failure: Error?
        do {
            finished = try body(&reader)
        } catch {
            failure = error
            finished = false
        }
        if !finished { child.kill() }
        close(child.stdout)
        let ending = child.wait()
        let message = errors.wait()
        if child.timedOut {
            throw GitError(arguments: arguments, directory: directory,
                           message: "git \(arguments.first ?? "") timed out after \(JSONWriter.format(timeout)) s; its process group was killed",
                           hint: "raise the repo's 'git_timeout' or \(GitCommand.timeoutVariable) (a duration: 90, 30s, 5m) if it is only slow")
        }
        if ChildProcessGroups.isStopping, ending != .exited(0) {
            throw GitError(arguments: arguments, directory: directory, message: "git \(arguments.first ?? "") stopped: recon was interrupted")
        }
        if let failure = failure as? GitError { throw failure }
        if let failure {
            throw GitError(arguments: arguments, directory: directory, message: "\(failure)")
        }
        guard finished, ending != .exited(0) else { return }
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        let status = switch ending {
        case .exited(let code): "git exited with status \(code)"
        case .signalled(let number): "git was killed by signal \(number)"
        }
        throw GitError(arguments: arguments, directory: directory, message: text.isEmpty ? status : text)
    }

    static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_PAGER"] = "cat"
        environment["LC_ALL"] = "C"
        environment["GIT_OPTIONAL_LOCKS"] = "0"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_NO_LAZY_FETCH"] = "1"  // git 2.44+; older gits: partial clones are refused (see confine)
        // What a commit id names, not what `refs/replace` or a grafts file would put in its place (found in review).
        environment["GIT_NO_REPLACE_OBJECTS"] = "1"
        environment["GIT_GRAFT_FILE"] = "/dev/null"
        for name in ["GIT_EXTERNAL_DIFF", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_EDITOR"] { environment[name] = nil }
        // A name given to git is a name: no inherited glob or case-folding pathspec mode (git refuses them beside
        // `--literal-pathspecs`, which the sparse listing passes).
        for name in ["GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS", "GIT_LITERAL_PATHSPECS"] {
            environment[name] = nil
        }
        return environment
    }()
}

/// Drains git's stderr on its own thread so a chatty git never blocks on a full pipe.
private final class ErrorCollector: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A git command that failed, with git's message.
struct GitError: Error, CustomStringConvertible, Sendable {
    var arguments: [String]
    var directory: String
    var message: String
    var hint: String?

    var description: String { "git \(arguments.first ?? "") failed in '\(directory)': \(message)" }
}
