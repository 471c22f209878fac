import Foundation
import ReconCore

/// Runs the real `git` binary. One process per call; no libgit2, no shell.
///
/// The environment is pinned (no prompts, C locale, no pager) so output parses the same everywhere.
struct GitCommand: Sendable {
    /// The directory passed as `git -C`.
    let directory: String

    static let executable = "/usr/bin/env"

    init(directory: String) {
        self.directory = directory
        _ = GitCommand.ignoreBrokenPipes
    }

    /// Writing to a git that has exited must return EPIPE, not kill Recon.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

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
    /// thread. `body` returns false to stop early; git is then terminated and its exit ignored.
    func stream(_ arguments: [String], input: (@Sendable (FileHandle) -> Void)? = nil,
                _ body: (inout ByteStreamReader) throws -> Bool) throws(GitError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: GitCommand.executable)
        process.arguments = ["git", "-C", directory] + arguments
        process.environment = GitCommand.environment
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        do {
            try process.run()
        } catch {
            throw GitError(arguments: arguments, directory: directory, message: "cannot run git: \(error.localizedDescription)")
        }
        let errors = ErrorCollector(stderr.fileHandleForReading)
        if let input {
            let handle = stdin.fileHandleForWriting
            Thread.detachNewThread {
                input(handle)
                try? handle.close()
            }
        }
        var reader = ByteStreamReader(descriptor: stdout.fileHandleForReading.fileDescriptor)
        var finished = true
        var failure: Error?
        do {
            finished = try body(&reader)
        } catch {
            failure = error
            finished = false
        }
        if !finished, process.isRunning { process.terminate() }
        try? stdout.fileHandleForReading.close()
        process.waitUntilExit()
        let message = errors.wait()
        if let failure {
            throw GitError(arguments: arguments, directory: directory, message: "\(failure)")
        }
        if finished, process.terminationStatus != 0 {
            let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
            throw GitError(arguments: arguments, directory: directory,
                           message: text.isEmpty ? "git exited with status \(process.terminationStatus)" : text)
        }
    }

    static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_PAGER"] = "cat"
        environment["LC_ALL"] = "C"
        environment["GIT_OPTIONAL_LOCKS"] = "0"
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

    var description: String { "git \(arguments.first ?? "") failed in '\(directory)': \(message)" }
}
