import Foundation
import TestSupport
import XCTest

/// Output that cannot be written is an error, not a success with a cut file: `recon state pull > backup.json` on a
/// full disk exited 0 with nothing written. A reader that went away (`| head`) still only drops the rest.
final class StandardOutputFailureTests: XCTestCase {
    func testAFullDiskUnderStandardOutputFailsTheCommand() throws {
        let project = try CLIProject.applied()
        for command in ["state pull", "state list", "runs", "plan"] {
            let result = try ReconProcess.shell(["bash", "-c", "\"$0\" \(command) > /dev/full", ReconProcess.executable], in: project.path)
            XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("cannot write to standard output: No space left on device"), "\(command): \(result.stderr)")
        }
    }

    func testAReaderThatWentAwayIsNotAFailure() throws {
        let project = try CLIProject.applied()
        // The pipe's reading end is closed before recon starts, so its first write meets EPIPE every time.
        let output = Pipe()
        try output.fileHandleForReading.close()
        let errors = TemporaryDirectory()
        let errorPath = errors.path + "/stderr"
        XCTAssertTrue(FileManager.default.createFile(atPath: errorPath, contents: nil))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReconProcess.executable)
        process.arguments = ["state", "pull"]
        process.currentDirectoryURL = URL(fileURLWithPath: project.path)
        process.standardOutput = output.fileHandleForWriting
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        XCTAssertFalse(stderr.contains("cannot write"), stderr)
    }

    func testThePullIsOneWholeDocument() throws {
        let project = try CLIProject.applied()
        let pulled = try project.recon("state", "pull")
        XCTAssertEqual(pulled.status, 0, pulled.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(pulled.stdout.utf8)) as? [String: Any])
        XCTAssertNotNil((document["records"] as? [String: Any])?["Skills"], pulled.stdout)
        XCTAssertTrue(pulled.stdout.hasSuffix("}\n") || pulled.stdout.hasSuffix("}"), "the pull ends with the document")
    }
}
