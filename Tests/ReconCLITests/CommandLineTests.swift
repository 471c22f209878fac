import Foundation
import TestSupport
import XCTest

/// The real `recon` binary, run as a user runs it.
final class CommandLineTests: XCTestCase {
    private let validManifest = """
        tables:
          - name: Docs
            key: Key
            fields:
              - {name: Key, type: singleLineText}
              - {name: Title, type: singleLineText}
        """

    func testVersionAndHelp() throws {
        let temp = TemporaryDirectory()
        let version = try ReconProcess.run(["--version"], in: temp.path)
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("recon "))
        let help = try ReconProcess.run(["--help"], in: temp.path)
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("validate"))
        XCTAssertTrue(help.stdout.contains("Exit codes:"))
        let commandHelp = try ReconProcess.run(["validate", "--help"], in: temp.path)
        XCTAssertEqual(commandHelp.status, 0)
        XCTAssertTrue(commandHelp.stdout.hasPrefix("Usage: recon validate"))
        XCTAssertEqual(try ReconProcess.run(["help", "validate"], in: temp.path).stdout, commandHelp.stdout)
    }

    func testNoCommandPrintsHelpAndFails() throws {
        let temp = TemporaryDirectory()
        let result = try ReconProcess.run([], in: temp.path)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("Usage: recon"))
    }

    func testUnknownCommandAndFlag() throws {
        let temp = TemporaryDirectory()
        let command = try ReconProcess.run(["valdate"], in: temp.path)
        XCTAssertEqual(command.status, 1)
        XCTAssertEqual(command.stderr, "error: unknown command 'valdate'\n  did you mean 'validate'?\n")
        let flag = try ReconProcess.run(["validate", "--formt=json"], in: temp.path)
        XCTAssertEqual(flag.status, 1)
        XCTAssertEqual(flag.stderr, "error: unknown flag '--formt=json' for 'validate'\n  did you mean '--format'?\n")
        let format = try ReconProcess.run(["validate", "--format", "yaml"], in: temp.path)
        XCTAssertEqual(format.status, 1)
        XCTAssertTrue(format.stderr.contains("invalid --format 'yaml'"))
    }

    func testValidateSucceedsQuietlyAndWritesNothing() throws {
        let temp = TemporaryDirectory()
        temp.write("manifests/schema.yaml", validManifest)
        let before = temp.listing()
        let result = try ReconProcess.run(["validate"], in: temp.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "The manifests are valid. 1 file, 1 table, 0 repos, 0 extract rules.\n")
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(temp.listing(), before)
    }

    func testValidateReportsEveryErrorWithLocationsAndNoColourWhenPiped() throws {
        let temp = TemporaryDirectory()
        temp.write("m/a.yaml", validManifest.replacingOccurrences(of: "key: Key", with: "key: Kye"))
        temp.write("m/b.yaml", "protected:\n  Doc: [Title]\n")
        let before = temp.listing()
        let result = try ReconProcess.run(["validate", "-m", "m"], in: temp.path)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, """
            m/a.yaml:3:10: error: key field 'Kye' is not a field of table 'Docs'
              did you mean 'Key'? (declared fields: Key, Title)
            m/b.yaml:2:3: error: protected fields name undeclared table 'Doc'
              did you mean 'Docs'? (declared tables: Docs)
            2 errors in the manifests; nothing was written.

            """)
        XCTAssertFalse(result.stderr.contains("\u{1B}["), "no colour when not a terminal")
        XCTAssertEqual(temp.listing(), before)
    }

    func testValidateJSON() throws {
        let temp = TemporaryDirectory()
        temp.write("manifests/a.yaml", "tables: [{name: A, key: K, fields: [{name: K, type: text}]}]\n")
        let misplaced = try ReconProcess.run(["--format=json", "validate"], in: temp.path)
        XCTAssertEqual(misplaced.status, 1, "a command's flag before the command is not a global flag")
        XCTAssertTrue(misplaced.stderr.contains("unknown flag '--format=json' for 'recon'"), misplaced.stderr)
        let result = try ReconProcess.run(["validate", "--format=json"], in: temp.path)
        XCTAssertEqual(result.status, 1)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["valid"] as? Bool, false)
        XCTAssertEqual(json["error_count"] as? Int, 1)
        let first = try XCTUnwrap((json["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["line"] as? Int, 1)
        XCTAssertEqual(first["file"] as? String, "manifests/a.yaml")
    }

    func testChdirResolvesRelativePaths() throws {
        let temp = TemporaryDirectory()
        temp.write("project/manifests/a.yaml", validManifest)
        let result = try ReconProcess.run(["-chdir", "project", "validate"], in: temp.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let missing = try ReconProcess.run(["-chdir=nowhere", "validate"], in: temp.path)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("cannot change to directory 'nowhere'"))
    }
}

extension CommandLineTests {
    /// A regression: `recon extract | head` crashed with a fatal error when head closed the pipe.
    func testClosedOutputPipeIsNotACrash() throws {
        let temp = TemporaryDirectory()
        let repo = GitFixture()
        for index in 0..<400 { repo.write("docs/page-\(index).md", "# Page \(index)\n\nText.\n") }
        repo.commit("pages")
        temp.write("manifests/m.yaml", """
            tables: [{name: Docs, key: Key, fields: [{name: Key, type: singleLineText}, {name: Title, type: singleLineText}]}]
            repos: [{name: r, path: \(repo.path), extract: [{table: Docs, files: ["docs/*.md"], as: markdown, fields: {Title: $title}}]}]
            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "'\(ReconProcess.executable)' extract --format json | head -c 10 > /dev/null; echo \"${PIPESTATUS:-}\" > /dev/null"]
        process.currentDirectoryURL = URL(fileURLWithPath: temp.path)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertFalse(stderr.contains("Fatal error"), stderr)
        XCTAssertFalse(stderr.contains("crashed"), stderr)
        XCTAssertTrue(temp.exists("state/cache"), "the run finished its work")
    }
}
