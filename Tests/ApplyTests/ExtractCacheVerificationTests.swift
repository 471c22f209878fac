import Apply
import Extract
import Foundation
import Plan
import ReconCore
import TestSupport
import XCTest

/// Every extract cache hit is checked against the tree it claims: an edited cache (checksums recomputed) is
/// discarded with a warning, the repo is read again, and the plan is the plan of a clean extraction.
final class ExtractCacheVerificationTests: XCTestCase {
    private let discarded = "the extract cache of repo 'core' did not match its source and was discarded"

    private func cache(_ harness: ApplyHarness) -> FileExtractCache {
        FileExtractCache(stateDirectory: harness.project.path + "/state")
    }

    private func editJSON(at path: String, _ edit: (inout [String: JSONValue]) throws -> Void) throws {
        var entry = try XCTUnwrap(JSONParser.parse(Array(try XCTUnwrap(FileManager.default.contents(atPath: path)))).objectValue)
        try edit(&entry)
        try Data(JSONValue.object(entry).canonicalBytes()).write(to: URL(fileURLWithPath: path))
    }

    /// A record as the cache writes it, content hash recomputed.
    private func encoded(_ record: DesiredRecord) throws -> JSONValue {
        var writer = JSONWriter(capacity: 256)
        RecordCoding.write(record, to: &writer)
        return try JSONParser.parse(writer.finish())
    }

    private func editRecords(_ harness: ApplyHarness, _ edit: (inout [DesiredRecord]) -> Void) throws {
        try editJSON(at: cache(harness).path(for: "core")) { entry in
            var records = try XCTUnwrap(entry["records"]?.arrayValue).map { try XCTUnwrap(RecordCoding.record($0)) }
            edit(&records)
            entry["records"] = .array(try records.map(encoded))
        }
    }

    /// Plans with the edited cache, then with no cache at all: the two plans must be the same, with one warning.
    private func assertPlansLikeACleanExtraction(_ harness: ApplyHarness, file: StaticString = #filePath, line: UInt = #line) throws {
        let edited = try harness.plan()
        XCTAssertEqual(edited.warnings.filter { $0.message.contains(discarded) }.count, 1,
                       edited.warnings.map(\.message).joined(separator: "\n"), file: file, line: line)
        try FileManager.default.removeItem(atPath: harness.project.path + "/state/" + FileExtractCache.subdirectory)
        let clean = try harness.plan()
        XCTAssertEqual(edited.plan.recordChanges, clean.plan.recordChanges, file: file, line: line)
        XCTAssertFalse(clean.warnings.contains { $0.message.contains(discarded) }, file: file, line: line)
    }

    func testARecordAddedToTheCacheIsDiscardedAndReadAgain() throws {
        let harness = try ApplyHarness.withThreeSkillsApplied()
        try editRecords(harness) { records in
            let two = records.first { $0.key == "core:plugins/alpha/skills/two" }!
            records.append(DesiredRecord(table: two.table, key: "core:plugins/alpha/skills/ghost", fields: two.fields,
                                         provenance: two.provenance))
        }
        try assertPlansLikeACleanExtraction(harness)
        XCTAssertFalse(try harness.plan().plan.hasChanges)
    }

    func testAValueChangedInTheCacheIsDiscardedAndReadAgain() throws {
        let harness = try ApplyHarness.withThreeSkillsApplied()
        try editRecords(harness) { records in
            let index = records.firstIndex { $0.key == "core:plugins/alpha/skills/two" }!
            var fields = records[index].fields
            fields["Name"] = .text("not what the file says")
            records[index] = DesiredRecord(table: records[index].table, key: records[index].key, fields: fields,
                                           provenance: records[index].provenance)
        }
        try assertPlansLikeACleanExtraction(harness)
        XCTAssertFalse(try harness.plan().plan.hasChanges)
    }

    func testABlobIdChangedInTheCacheIsDiscardedAndReadAgain() throws {
        let harness = try ApplyHarness.withThreeSkillsApplied()
        try editJSON(at: cache(harness).path(for: "core")) { entry in
            var sources = try XCTUnwrap(entry["sources"]?.arrayValue)
            var first = try XCTUnwrap(sources.first?.objectValue)
            first["blob"] = .string(String(repeating: "0", count: 40))
            sources[0] = .object(first)
            entry["sources"] = .array(sources)
        }
        try assertPlansLikeACleanExtraction(harness)
    }

    /// Commits the work tree in place of the last commit: the sealed entry's commit is no ancestor of the new one, so the
    /// repo takes the per-file path (an unsealed entry would be read in full instead, and the per-file cache not read).
    private func replaceTheLastCommit(_ harness: ApplyHarness, _ message: String) {
        harness.repo.git("add", "-A")
        harness.repo.git("commit", "-q", "--amend", "-m", message)
    }

    func testAPerFileEntryHoldingAnEntityOfAnotherPathIsDiscarded() throws {
        let harness = try ApplyHarness.withThreeSkillsApplied()
        try editJSON(at: cache(harness).filesPath(for: "core")) { entry in
            entry["files"] = .array(try XCTUnwrap(entry["files"]?.arrayValue).map { file in
                guard file["path"]?.stringValue == "plugins/alpha/skills/one/SKILL.md", var members = file.objectValue,
                      var entity = file["entities"]?.arrayValue?.first?.objectValue else { return file }
                entity["key"] = .string("core:plugins/alpha/skills/ghost")
                entity["root"] = .string("plugins/alpha/skills/ghost")
                members["entities"] = .array((file["entities"]?.arrayValue ?? []) + [.object(entity)])
                return .object(members)
            })
        }
        harness.addSkill("alpha", "three", name: "Three v2")
        replaceTheLastCommit(harness, "rename three")
        try assertPlansLikeACleanExtraction(harness)
    }

    func testAValueChangedInAPerFileEntryIsDiscardedWhenItWouldBeWritten() throws {
        let harness = try ApplyHarness.withThreeSkillsApplied()
        try editJSON(at: cache(harness).filesPath(for: "core")) { entry in
            entry["files"] = .array(try XCTUnwrap(entry["files"]?.arrayValue).map { file in
                guard file["path"]?.stringValue == "plugins/alpha/skills/two/SKILL.md", var members = file.objectValue,
                      var entity = file["entities"]?.arrayValue?.first?.objectValue else { return file }
                entity["fields"] = .object(["Name": .string("not what the file says")])
                members["entities"] = .array([.object(entity)])
                return .object(members)
            })
        }
        harness.addSkill("alpha", "three", name: "Three v2")
        replaceTheLastCommit(harness, "rename three")
        try assertPlansLikeACleanExtraction(harness)
    }

    func testAnEntryWrittenBeforeTheCheckIsAMissOnceNotAnError() throws {
        let harness = try ApplyHarness.withThreeSkillsApplied()
        try editJSON(at: cache(harness).path(for: "core")) { entry in entry["sources"] = nil }
        let extraction = Extraction(manifest: try harness.manifest(), stateDirectory: harness.project.path + "/state", cache: cache(harness))
        let miss = try extraction.run()
        XCTAssertEqual(miss.repos.map(\.cached), [false])
        XCTAssertFalse(miss.diagnostics.contains { $0.message.contains(discarded) }, "an old entry is not a bad one")
        XCTAssertEqual(try extraction.run().repos.map(\.cached), [true], "the entry is written again with its sources")
        XCTAssertFalse(try harness.plan().plan.hasChanges)
    }

    func testAnUneditedCacheStillAnswers() throws {
        let harness = try ApplyHarness.withThreeSkillsApplied()
        let manifest = try harness.manifest()
        let extraction = Extraction(manifest: manifest, stateDirectory: harness.project.path + "/state", cache: cache(harness))
        let hit = try extraction.run()
        XCTAssertEqual(hit.repos.map(\.cached), [true])
        XCTAssertEqual(hit.repos.map(\.filesRead), [0])
        XCTAssertFalse(hit.diagnostics.contains { $0.message.contains(discarded) })

        harness.addSkill("alpha", "three", name: "Three v2")
        harness.repo.commit("rename three")
        let moved = try extraction.run()
        XCTAssertEqual(moved.repos.map(\.filesRead), [1])
        XCTAssertEqual(moved.repos.map(\.filesReused), [0], "plugin.json, one and two carried over from the sealed records entry")
        XCTAssertFalse(moved.diagnostics.contains { $0.message.contains(discarded) })

        harness.addSkill("alpha", "three", name: "Three v3")
        replaceTheLastCommit(harness, "rename three again")
        let perFile = try extraction.run()
        XCTAssertEqual(perFile.repos.map(\.filesRead), [1])
        XCTAssertEqual(perFile.repos.map(\.filesReused), [3], "plugin.json, one and two answered from the per-file cache")
        XCTAssertFalse(perFile.diagnostics.contains { $0.message.contains(discarded) })
    }
}
