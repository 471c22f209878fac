import Foundation
import ReconCore
import TestSupport
import XCTest

/// The man page and the completion scripts, printed by the real binary from the option table `--help` uses.
final class ShellCompletionTests: XCTestCase {
    private let golden = Golden.folder() + "/Golden"
    private let temp = TemporaryDirectory()

    private func recon(_ arguments: String...) throws -> ReconProcess.Result {
        let result = try ReconProcess.run(arguments, in: temp.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result
    }

    func testManPageGolden() throws {
        let page = try recon("help", "--man").stdout
        Golden.assertMatches(page.replacingOccurrences(of: "recon \(ReconVersion.current)", with: "recon VERSION"),
                             file: golden + "/recon.1")
    }

    func testCompletionScriptsGolden() throws {
        Golden.assertMatches(try recon("completion", "bash").stdout, file: golden + "/recon.bash")
        Golden.assertMatches(try recon("completion", "zsh").stdout, file: golden + "/_recon.zsh")
        Golden.assertMatches(try recon("completion", "fish").stdout, file: golden + "/recon.fish")
    }

    /// Every command and every option of every command appears in the man page and in each script.
    func testManPageAndScriptsCoverTheOptionTable() throws {
        let help = try recon("--help").stdout
        let page = try recon("help", "--man").stdout
        let scripts = try ["bash", "zsh", "fish"].map { try recon("completion", $0).stdout }
        let commands = help.components(separatedBy: "Commands:\n")[1].components(separatedBy: "\n\n")[0]
            .split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        XCTAssertTrue(commands.contains("completion"))
        for command in commands {
            XCTAssertTrue(page.contains(".SS \(command.replacingOccurrences(of: "-", with: "\\-"))\n"), command)
            let options = try recon(command, "--help").stdout.components(separatedBy: "\n").filter { $0.hasPrefix("  ") && $0.contains("--") }
                .compactMap { $0.split(separator: " ").first { $0.hasPrefix("--") } }
            XCTAssertFalse(options.isEmpty, command)
            for option in options {
                XCTAssertTrue(page.contains("\\fB\(option.replacingOccurrences(of: "-", with: "\\-"))\\fR"), "\(command) \(option) in recon.1")
                for script in scripts { XCTAssertTrue(script.contains(option.dropFirst(2)), "\(command) \(option) in a script") }
            }
        }
        XCTAssertTrue(help.contains("man recon"), "--help points at the man page")
    }

    /// bash really completes: a command from its prefix, a flag, a flag's values and a verb.
    func testBashCompletes() throws {
        let script = temp.write("recon.bash", try recon("completion", "bash").stdout)
        func complete(_ words: [String]) throws -> String {
            let quoted = words.map { "'" + $0 + "'" }.joined(separator: " ")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["--norc", "--noprofile", "-c",
                                 "source '\(script)'; COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _recon; echo \"${COMPREPLY[*]}\""]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        XCTAssertEqual(try complete(["recon", "pl"]), "plan")
        XCTAssertEqual(try complete(["recon", "-m", "dir", "pr"]), "prune")
        XCTAssertEqual(try complete(["recon", "apply", "--auto"]), "--auto-approve")
        XCTAssertEqual(try complete(["recon", "show", "plan.json", "--format", ""]), "text json markdown")
        XCTAssertEqual(try complete(["recon", "--state-backend", ""]), "local postgres")
        XCTAssertEqual(try complete(["recon", "runs", ""]), "show export verify")
        XCTAssertEqual(try complete(["recon", "completion", ""]), "bash zsh fish")
        XCTAssertEqual(try complete(["recon", "--no"]), "--no-color")
    }

    func testCompletionNeedsAKnownShell() throws {
        let result = try ReconProcess.run(["completion", "tcsh"], in: temp.path)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("no completion for shell 'tcsh'"), result.stderr)
        XCTAssertTrue(result.stdout.isEmpty)
    }
}
