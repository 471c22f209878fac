import Foundation
import TestSupport
import XCTest

/// File names and contents that do not say one thing: Unicode twins, bytes that are not UTF-8.
/// Through the real binary, since the message is what a person acts on.
final class SourceNameCommandTests: XCTestCase {
    /// Makes `plugins/<name bytes>/plugin.json` with a shell, since a Swift String cannot hold invalid UTF-8.
    private func rawPlugin(_ project: CLIProject, octal: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "d=\"plugins/a$(printf '\\\(octal)')\"; mkdir -p \"$d\" && printf '{\"name\": \"x\"}' > \"$d/plugin.json\""]
        process.currentDirectoryURL = URL(fileURLWithPath: project.repo.path)
        try! process.run()
        process.waitUntilExit()
    }

    private func skipOnError(_ project: CLIProject) {
        let schema = project.directory.read("manifests/schema.yaml")!
        project.directory.write("manifests/schema.yaml", schema.replacingOccurrences(of: "fields: {Name: name}}", with: "fields: {Name: name}, on_error: skip}"))
    }

    /// A regression: names `a\xff` and `a\xfe` both became `a\u{FFFD}` and failed as one "duplicate key"
    /// naming the same file twice. Each is now refused as a bad file, by its bytes; `on_error: skip` skips them.
    func testFileNamesThatAreNotUTF8AreRefusedOneByOneByTheirBytes() throws {
        let project = CLIProject()
        project.skill("good", "one")
        rawPlugin(project, octal: "377")
        rawPlugin(project, octal: "376")
        project.repo.commit("names that are not UTF-8")

        let failed = try project.recon("plan")
        XCTAssertEqual(failed.status, 1, failed.stdout + failed.stderr)
        XCTAssertFalse(failed.stderr.contains("duplicate key"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("not valid UTF-8"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains(#"core:plugins/a\x{FF}/plugin.json:1:1: error:"#), "the bytes are shown: \(failed.stderr)")
        XCTAssertTrue(failed.stderr.contains(#"core:plugins/a\x{FE}/plugin.json:1:1: error:"#), "each file on its own: \(failed.stderr)")

        skipOnError(project)
        let skipped = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(skipped.status, 0, skipped.stdout + skipped.stderr)
        XCTAssertTrue(skipped.stderr.contains("not valid UTF-8"), skipped.stderr)
        XCTAssertEqual(project.sql("SELECT Key FROM Plugins"), ["core:plugins/good"], "the good file still syncs")
    }

    /// A regression: NFC and NFD twins `café` failed as a duplicate key naming the same-looking file twice,
    /// and one twin's content was read for both. Each twin is now refused by its scalars, one by one.
    func testUnicodeTwinsAreRefusedOneByOneByTheirScalars() throws {
        let project = CLIProject()
        project.skill("good", "one")
        project.repo.write("plugins/caf\u{E9}/plugin.json", #"{"name": "nfc"}"#)
        project.repo.write("plugins/cafe\u{301}/plugin.json", #"{"name": "nfd"}"#)
        project.repo.commit("twins")
        let result = try project.recon("plan")
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertFalse(result.stderr.contains("duplicate key"), result.stderr)
        XCTAssertTrue(result.stderr.contains(#"core:plugins/caf\u{E9}/plugin.json:1:1: error: the file name differs from another only in Unicode normalization"#),
                      result.stderr)
        XCTAssertTrue(result.stderr.contains(#"core:plugins/cafe\u{301}/plugin.json:1:1: error:"#), result.stderr)

        skipOnError(project)
        let skipped = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(skipped.status, 0, skipped.stdout + skipped.stderr)
        XCTAssertEqual(project.sql("SELECT Key FROM Plugins"), ["core:plugins/good"], "the good file still syncs")
    }

    /// A regression: invalid UTF-8 in a Markdown body was silently replaced by U+FFFD, while JSON, YAML and
    /// front matter refuse it; the body is refused the same way, at its line and column.
    func testAMarkdownBodyThatIsNotUTF8IsRefusedWithItsLocation() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.write("plugins/alpha/skills/two/SKILL.md", bytes: Array("---\nname: two\n---\nBo".utf8) + [0xFF] + Array("dy.\n".utf8))
        project.repo.commit("bad bytes")
        let result = try project.recon("plan")
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("core:plugins/alpha/skills/two/SKILL.md:4:3: error:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("not valid UTF-8"), result.stderr)

        project.repo.write("plugins/alpha/skills/two/SKILL.md", bytes: Array("---\nname: tw".utf8) + [0xFF] + Array("o\n---\nBody.\n".utf8))
        project.repo.commit("bad bytes in the front matter")
        let front = try project.recon("plan")
        XCTAssertEqual(front.status, 1, front.stdout + front.stderr)
        XCTAssertTrue(front.stderr.contains("core:plugins/alpha/skills/two/SKILL.md:2:9: error:"), front.stderr)
    }
}
