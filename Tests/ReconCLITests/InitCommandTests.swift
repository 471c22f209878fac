import Foundation
import TestSupport
import XCTest

/// `recon init` (issue 11, point 6), through the real binary: each starter validates as written, the
/// sample applies as a newcomer types it, and nothing that exists is ever replaced.
final class InitCommandTests: XCTestCase {
    private func recon(_ arguments: [String], in directory: TemporaryDirectory) throws -> ReconProcess.Result {
        try ReconProcess.run(arguments, in: directory.path)
    }

    func testEachProviderStarterValidatesAsWritten() throws {
        for provider in ["sqlite", "airtable"] {
            let folder = TemporaryDirectory("init-\(provider)")
            let made = try recon(["init", "--provider", provider, "project"], in: folder)
            XCTAssertEqual(made.status, 0, "\(provider): \(made.stderr)")
            XCTAssertEqual(folder.list("project/manifests"), ["policy.yaml", "repos.yaml", "schema.yaml", "target.yaml"])
            XCTAssertEqual(folder.read("project/.gitignore")?.contains("/state/\n"), true)
            let valid = try recon(["-chdir", "project", "validate"], in: folder)
            XCTAssertEqual(valid.status, 0, "\(provider) starter: \(valid.stderr)")
            XCTAssertTrue(valid.stdout.contains("The manifests are valid. 4 files, 2 tables, 1 repo, 2 extract rules."), valid.stdout)
            XCTAssertTrue(folder.read("project/manifests/policy.yaml")?.contains("# hooks:") == true, "hooks are shown, commented out")
        }
        let airtable = TemporaryDirectory("init-airtable-key")
        _ = try recon(["init", "--provider", "airtable"], in: airtable)
        let target = try XCTUnwrap(airtable.read("manifests/target.yaml"))
        XCTAssertTrue(target.contains("token_env: AIRTABLE_TOKEN") && target.contains("export AIRTABLE_TOKEN="), target)
    }

    /// The PostgreSQL base is being built beside this command: until the manifests know it, the starter
    /// is refused clearly with nothing written; once they do, it must validate as the others do.
    func testPostgresStarterValidatesOrIsRefusedClearly() throws {
        let folder = TemporaryDirectory("init-postgres")
        let made = try recon(["init", "--provider", "postgres"], in: folder)
        if made.status == 0 {
            let valid = try recon(["validate"], in: folder)
            XCTAssertEqual(valid.status, 0, "postgres starter: \(valid.stderr)")
            XCTAssertTrue(try XCTUnwrap(folder.read("manifests/target.yaml")).contains("url_env: RECON_BASE_URL"))
        } else {
            XCTAssertEqual(made.status, 1)
            XCTAssertTrue(made.stderr.contains("no 'postgres' base provider yet"), made.stderr)
            XCTAssertEqual(folder.listing(), [], "nothing written")
        }
    }

    func testSampleAppliesAsWrittenAndThenHasNoChanges() throws {
        let folder = TemporaryDirectory("init-sample")
        let made = try recon(["init", "--sample", "catalog"], in: folder)
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(made.stdout.contains("cd 'catalog'") && made.stdout.contains("recon apply --auto-approve"), made.stdout)
        let project = folder.file("catalog")
        let log = GitFixture.run(["log", "--oneline"], in: project + "/sample-repo", environment: [:])
        XCTAssertEqual(log.split(separator: "\n").count, 1, "the sample repo has one commit: \(log)")

        let applied = try ReconProcess.run(["apply", "--auto-approve"], in: project)
        XCTAssertEqual(applied.status, 0, applied.stdout + applied.stderr)
        XCTAssertTrue(applied.stdout.contains("5 added"), applied.stdout)
        let again = try ReconProcess.run(["plan", "-detailed-exitcode"], in: project)
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        XCTAssertTrue(again.stdout.contains("No changes"), again.stdout)
        let skills = sqlite(project + "/state/catalog.sqlite", "SELECT Name, Status FROM Skills ORDER BY Name")
        XCTAssertEqual(skills, ["farewell|Draft", "hello|Draft", "jot|Draft"])
    }

    func testRefusesToOverwriteAnyFileAndWritesNothing() throws {
        let folder = TemporaryDirectory("init-refuse")
        folder.write("manifests/target.yaml", "target: {provider: sqlite}  # mine\n")
        folder.write(".gitignore", "build/\n")
        let before = folder.listing()
        let refused = try recon(["init", "--sample"], in: folder)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("  .gitignore\n") && refused.stderr.contains("  manifests/target.yaml\n"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("Nothing was written"), refused.stderr)
        XCTAssertEqual(folder.listing(), before, "nothing written beside them")
        XCTAssertEqual(folder.read("manifests/target.yaml"), "target: {provider: sqlite}  # mine\n")
        XCTAssertEqual(folder.read(".gitignore"), "build/\n")

        let fresh = TemporaryDirectory("init-twice")
        XCTAssertEqual(try recon(["init", "--sample"], in: fresh).status, 0)
        fresh.write("manifests/schema.yaml", "# edited by hand\n")
        let snapshot = fresh.listing().map { ($0, fresh.data($0)) }
        let second = try recon(["init", "--sample"], in: fresh)
        XCTAssertEqual(second.status, 1)
        for name in ["manifests/policy.yaml", "manifests/schema.yaml", "sample-repo/"] {
            XCTAssertTrue(second.stderr.contains("  \(name)\n"), second.stderr)
        }
        XCTAssertFalse(second.stderr.contains("sample-repo/README.md"), "the sample folder is named once: \(second.stderr)")
        XCTAssertEqual(fresh.listing().map { ($0, fresh.data($0)) }.map(\.0), snapshot.map(\.0))
        for (name, data) in snapshot { XCTAssertEqual(fresh.data(name), data, "\(name) is byte-identical") }
    }

    func testBadProviderIsAClearErrorAndWritesNothing() throws {
        let folder = TemporaryDirectory("init-bad")
        let bad = try recon(["init", "--provider", "mysql"], in: folder)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("error: invalid --provider 'mysql'"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("expected one of: sqlite, airtable, postgres"), bad.stderr)
        let close = try recon(["init", "--provider", "sqlit"], in: folder)
        XCTAssertTrue(close.stderr.contains("did you mean 'sqlite'?"), close.stderr)
        let extra = try recon(["init", "a", "b"], in: folder)
        XCTAssertEqual(extra.status, 1)
        XCTAssertTrue(extra.stderr.contains("'init' takes at most one folder, found 'b'"), extra.stderr)
        let outside = try recon(["init", "-m", "../elsewhere", "a"], in: folder)
        XCTAssertEqual(outside.status, 1)
        XCTAssertTrue(outside.stderr.contains("-m must name a folder below it, found '../elsewhere'"), outside.stderr)
        // A '/' before a combining mark still separates: this climbs out of 'a' too.
        let marked = try recon(["init", "-m", "../\u{338}x", "a"], in: folder)
        XCTAssertEqual(marked.status, 1, marked.stderr)
        XCTAssertTrue(marked.stderr.contains("-m must name a folder below it"), marked.stderr)
        XCTAssertEqual(folder.listing(), [], "nothing written")
    }

    private func sqlite(_ database: String, _ query: String) -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", database, query]
        let pipe = Pipe()
        process.standardOutput = pipe
        try! process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
