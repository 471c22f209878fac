import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// Through the real binary: an extract cache edited with its checksums recomputed never reaches the base.
final class ExtractCacheCLITests: XCTestCase {
    func testApplyWithAnEditedCacheWritesWhatTheRepoSaysAndWarns() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("two skills")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)

        let path = project.path + "/state/cache/extract/core.json"
        var entry = try XCTUnwrap(JSONParser.parse(Array(try XCTUnwrap(FileManager.default.contents(atPath: path)))).objectValue)
        entry["records"] = .array(try XCTUnwrap(entry["records"]?.arrayValue).map { json in
            let record = try XCTUnwrap(RecordCoding.record(json))
            guard record.key == "core:plugins/alpha/skills/two" else { return json }
            var fields = record.fields
            fields["Name"] = .text("planted")
            var writer = JSONWriter(capacity: 256)
            RecordCoding.write(DesiredRecord(table: record.table, key: record.key, fields: fields, provenance: record.provenance), to: &writer)
            return try JSONParser.parse(writer.finish())
        })
        try Data(JSONValue.object(entry).canonicalBytes()).write(to: URL(fileURLWithPath: path))

        let apply = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertTrue((apply.stdout + apply.stderr).contains("the extract cache of repo 'core' did not match its source and was discarded"),
                      apply.stdout + apply.stderr)
        XCTAssertEqual(project.sql("SELECT Name FROM Skills ORDER BY Name"), ["one", "two"])
    }

    /// The entry is stored on the other core while `plan` reads the base and plans: its failure is still the warning.
    func testAPlanWhoseEntryCannotBeStoredWarnsAndPlans() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one skill")
        try FileManager.default.createDirectory(atPath: project.path + "/state/cache/extract/core.json/in-the-way",
                                                withIntermediateDirectories: true)
        let plan = try project.recon("plan")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stderr.contains("could not store the extract cache of repo 'core': cannot write the extract cache"), plan.stderr)
        XCTAssertTrue(plan.stdout.contains("to add"), plan.stdout)
    }
}
