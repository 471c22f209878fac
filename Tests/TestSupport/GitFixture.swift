import Foundation

/// A real git repository for tests, built with the real git binary. Commits get fixed,
/// increasing author and committer dates so histories (and their ids) are reproducible.
public final class GitFixture: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public var path: String { directory.path }
    private var commits = 0

    /// 2024-01-01T00:00:00Z; each commit is one hour later than the last.
    public static let epoch = 1_704_067_200

    public init(_ prefix: String = "repo") {
        directory = TemporaryDirectory(prefix)
        git("init", "--quiet", "--initial-branch=main")
    }

    public func write(_ relative: String, _ text: String) {
        directory.write(relative, text)
    }

    public func write(_ relative: String, bytes: [UInt8]) {
        directory.write(relative, bytes)
    }

    public func symlink(_ relative: String, to target: String) {
        let url = directory.url(relative)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    public func remove(_ relative: String) {
        try! FileManager.default.removeItem(at: directory.url(relative))
    }

    /// Stages everything and commits; returns the new commit id.
    @discardableResult
    public func commit(_ message: String) -> String {
        commits += 1
        let date = "\(GitFixture.epoch + commits * 3600) +0000"
        git("add", "--all")
        git("commit", "--quiet", "--allow-empty", "-m", message, environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
        return head
    }

    public var head: String {
        git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs git in the repo with a fixed identity; fails the process on a non-zero exit.
    @discardableResult
    public func git(_ arguments: String..., environment: [String: String] = [:]) -> String {
        GitFixture.run(arguments, in: path, environment: environment)
    }

    /// Runs git with `input` on its standard input (`mktree`, `hash-object --stdin`); returns its output, trimmed.
    @discardableResult
    public func git(_ arguments: [String], input: [UInt8]) -> String {
        let file = directory.path + "/.git/recon-test-input"
        FileManager.default.createFile(atPath: file, contents: Data(input))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return GitFixture.run(arguments, in: path, stdin: file).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    public static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                           stdin: String? = nil) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        var env = ProcessInfo.processInfo.environment
        env["GIT_AUTHOR_NAME"] = "Recon Test"
        env["GIT_AUTHOR_EMAIL"] = "test@recon.invalid"
        env["GIT_COMMITTER_NAME"] = "Recon Test"
        env["GIT_COMMITTER_EMAIL"] = "test@recon.invalid"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["HOME"] = directory
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        if let stdin { process.standardInput = FileHandle(forReadingAtPath: stdin) }
        try! process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "git \(arguments.joined(separator: " ")) failed in \(directory)")
        return String(decoding: data, as: UTF8.self)
    }
}
