import Foundation
import TestSupport

/// The Debian `chromium` run headless on a file: a screenshot or the DOM after parsing. A private profile
/// in a temp folder, `--no-sandbox` (the tests may run as root), killed if it has not finished in time.
struct HeadlessChromium {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let executable: String

    /// Fails naming the package when Chromium is not installed: the page test must not pass by being skipped.
    static func find() throws -> HeadlessChromium {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return HeadlessChromium(executable: "\(folder)/\(name)")
            }
        }
        throw Failure(description: "the report page test needs headless Chromium, not found on PATH: install the Debian package "
            + "'chromium' (apt-get install chromium, or run .ci/deps)")
    }

    func screenshot(_ page: String, to png: String, width: Int, height: Int) throws {
        _ = try run(["--screenshot=\(png)", "--window-size=\(width),\(height)", URL(fileURLWithPath: page).absoluteString])
    }

    func dumpDOM(_ page: String) throws -> String {
        try run(["--dump-dom", URL(fileURLWithPath: page).absoluteString])
    }

    /// Chromium's stdout; throws with its stderr when it fails or outlives `timeout`.
    private func run(_ arguments: [String], timeout: TimeInterval = 120) throws -> String {
        let scratch = TemporaryDirectory("chromium")
        let out = scratch.write("stdout", "")
        let err = scratch.write("stderr", "")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
                             "--hide-scrollbars", "--user-data-dir=\(scratch.path)/profile"] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw Failure(description: "chromium did not finish within \(Int(timeout)) s and was killed")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "chromium exited \(process.terminationStatus): \(scratch.read("stderr") ?? "")")
        }
        return scratch.read("stdout") ?? ""
    }
}
