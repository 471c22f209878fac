import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// Through the real binary: `apply` after a `plan` takes the extract cache that state folder sealed at its word
/// (no `confirm` re-read, no tree check), and a cache it cannot vouch for is read again exactly as before.
/// A skill file's blob deleted from the repo after the plan shows which: only a read of the repo needs it.
final class VouchedExtractCacheCLITests: XCTestCase {
    private let entry = "/state/cache/extract/core.json"

    private func project() -> CLIProject {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("two skills")
        return project
    }

    private func stages(_ stderr: String) -> [String] {
        guard let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix("Timings: ") }) else { return [] }
        return line.dropFirst("Timings: ".count).split(separator: ",").compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// Deletes the loose blob of skill `name`, so reading the repo fails.
    private func deleteBlob(_ project: CLIProject, skill name: String) throws {
        let id = project.repo.git("rev-parse", "HEAD:plugins/alpha/skills/\(name)/SKILL.md").trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.removeItem(atPath: "\(project.repo.path)/.git/objects/\(id.prefix(2))/\(id.dropFirst(2))")
    }

    /// Plans, then applies with the cache made to say `planted` for skill two: what the repo says must reach the base.
    private func assertReadAgain(_ project: CLIProject, file: StaticString = #filePath, line: UInt = #line) throws {
        let apply = try project.recon("apply", "--auto-approve", "--timings")
        XCTAssertEqual(apply.status, 0, apply.stderr, file: file, line: line)
        XCTAssertTrue(stages(apply.stderr).contains("confirm"), apply.stderr, file: file, line: line)
        XCTAssertEqual(project.sql("SELECT Name FROM Skills ORDER BY Name"), ["one", "two"], file: file, line: line)
    }

    func testApplyAfterAPlanDoesNotReadTheRepoAgain() throws {
        let project = project()
        XCTAssertEqual(try project.recon("plan").status, 0)
        try deleteBlob(project, skill: "two")
        let apply = try project.recon("apply", "--auto-approve", "--timings")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertFalse(stages(apply.stderr).contains("confirm"), apply.stderr)
        XCTAssertEqual(project.sql("SELECT Name FROM Skills ORDER BY Name"), ["one", "two"])
    }

    func testApplyingASavedPlanDerivesItFromTheCacheItVouchesFor() throws {
        let project = project()
        XCTAssertEqual(try project.recon("plan", "-out", "plan.json").status, 0)
        try deleteBlob(project, skill: "two")
        let apply = try project.recon("apply", "plan.json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(project.sql("SELECT Name FROM Skills ORDER BY Name"), ["one", "two"])
    }

    func testACacheUnderAnotherStateFoldersKeyIsReadAgain() throws {
        let project = project()
        XCTAssertEqual(try project.recon("plan").status, 0)
        // As when state/cache comes back from a CI cache into a folder whose key is not the one that sealed it.
        try? FileManager.default.removeItem(atPath: project.path + "/state/" + LocalTrustKey.fileName)
        _ = try LocalTrustKey.load(stateDirectory: project.path + "/state")
        try assertReadAgain(project)
    }

    func testAnEntryEditedWithItsChecksumRecomputedIsReadAgain() throws {
        let project = project()
        XCTAssertEqual(try project.recon("plan").status, 0)
        let path = project.path + entry
        var text = String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: path)), as: UTF8.self)
        XCTAssertTrue(text.contains(#""Name":"two""#))
        text = text.replacingOccurrences(of: #""Name":"two""#, with: #""Name":"planted""#)
        // The checksum recomputed as the format defines it: SHA-256 of `{` and what follows the checksum member.
        let member = #""checksum":""#
        let start = try XCTUnwrap(text.range(of: member)).upperBound.utf16Offset(in: text)
        var bytes = Array(text.utf8)
        let checksum = Array(SHA256.hex([UInt8(ascii: "{")] + bytes[(start + 66)...]).utf8)
        bytes.replaceSubrange(start..<(start + 64), with: checksum)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try assertReadAgain(project)
        XCTAssertFalse(String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: path)), as: UTF8.self).contains("planted"),
                       "the entry is written again from the repo")
    }

    func testAnEntrySealedInAnotherStateFolderIsReadAgain() throws {
        let project = project(), other = TemporaryDirectory("other-state")
        XCTAssertEqual(try project.recon("plan").status, 0)
        let path = project.path + entry
        let json = try JSONParser.parse([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: path))))
        let cache = FileExtractCache(stateDirectory: project.path + "/state")
        var stored = try XCTUnwrap(cache.load(repo: "core", commit: project.repo.head, fingerprint: try XCTUnwrap(json["fingerprint"]?.stringValue)))
        stored.records = stored.records.map { record in
            guard record.fields["Name"] == .text("two") else { return record }
            return DesiredRecord(table: record.table, key: record.key, fields: record.fields.merging(["Name": .text("planted")]) { $1 },
                                 provenance: record.provenance)
        }
        try FileExtractCache(stateDirectory: other.path).store(stored)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: FileExtractCache(stateDirectory: other.path).path(for: "core"), toPath: path)
        try assertReadAgain(project)
    }

    func testAnEntryAnotherBuildSealedIsReadAgain() throws {
        let project = project(), bin = TemporaryDirectory("other-build")
        // Another build of the same version: a copy of the binary with another modification time.
        let copy = bin.path + "/recon"
        try FileManager.default.copyItem(atPath: ReconProcess.executable, toPath: copy)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: copy)
        let plan = try ReconProcess.shell([copy, "plan"], in: project.path)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        try assertReadAgain(project)
    }
}
