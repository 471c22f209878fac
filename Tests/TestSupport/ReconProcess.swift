import Foundation

/// Runs the real `recon` executable, as a user or a CI job would.
public struct ReconProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The built `recon` beside the test bundle (SwiftPM puts products in one folder).
    public static var executable: String {
        var folder = URL(fileURLWithPath: Bundle.main.bundlePath)
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("recon").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        for argument in CommandLine.arguments {
            let candidate = URL(fileURLWithPath: argument).deletingLastPathComponent().appendingPathComponent("recon").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        fatalError("the recon executable was not found near \(Bundle.main.bundlePath); build it with 'swift build'")
    }

    /// Starts `recon arguments` in `directory` in the background, output discarded, for tests that
    /// signal, kill or race it while it runs.
    public static func start(_ arguments: [String], in directory: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `recon arguments` in `directory` with `environment` added to a minimal one.
    public static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                           input: String? = nil) throws -> Result {
        try run(executable, arguments, in: directory, environment: environment, input: input)
    }

    /// Runs another program (`bash`, `sqlite3`: looked up on PATH) the same way, e.g. a script that runs recon.
    public static func shell(_ command: [String], in directory: String = NSTemporaryDirectory(),
                             environment: [String: String] = [:]) throws -> Result {
        try run("/usr/bin/env", command, in: directory, environment: environment, input: nil)
    }

    private static func run(_ program: String, _ arguments: [String], in directory: String, environment: [String: String],
                            input: String?) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                   "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/tmp"]
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a full pipe never blocks the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var stdoutData = Data()
        nonisolated(unsafe) var stderrData = Data()
        group.enter()
        DispatchQueue.global().async {
            stdoutData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        stderrData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }
}
