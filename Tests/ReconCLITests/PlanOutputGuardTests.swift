import Foundation
import TestSupport
import XCTest

/// Issue 14 review, finding 6: `plan -out` and `rollback -out` replaced any file, the base and the state included.
final class PlanOutputGuardTests: XCTestCase {
    private func appliedProject() throws -> CLIProject {
        let project = try CLIProject.applied()
        project.skill("beta", "two")
        project.repo.commit("two")
        return project
    }

    func testPlanOutRefusesToReplaceAFileThatIsNotAPlan() throws {
        let project = try appliedProject()
        project.directory.write("notes.txt", "precious")
        for out in ["state/catalog.sqlite", "state/recon.state.json", "manifests/schema.yaml", "notes.txt", "manifests/new.json"] {
            let before = project.directory.data(out)
            let result = try project.recon("plan", "-out", out)
            XCTAssertEqual(result.status, 1, "\(out): \(result.stdout)\(result.stderr)")
            XCTAssertTrue(result.stderr.contains("-out"), "\(out): \(result.stderr)")
            XCTAssertEqual(project.directory.data(out), before, "\(out) was changed")
        }
        XCTAssertEqual(project.sql("SELECT count(*) FROM Skills"), ["1"])
    }

    func testPlanOutRefusesTheStateFileAndItsJournalEvenBeforeTheyExist() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        for out in ["state/recon.state.json", "state/recon.state.journal"] {
            let result = try project.recon("plan", "-out", out)
            XCTAssertEqual(result.status, 1, "\(out): \(result.stderr)")
            XCTAssertFalse(project.directory.exists(out))
        }
    }

    func testPlanOutReplacesAnEarlierPlan() throws {
        let project = try appliedProject()
        XCTAssertEqual(try project.recon("plan", "-out", "p.json").status, 0)
        let again = try project.recon("plan", "-out", "p.json")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try project.recon("apply", "p.json", "--auto-approve").status, 0)
    }

    /// Issue 12: the check parsed the whole earlier plan (~190 MB of a 100,000-change plan's 300 MB budget); it reads
    /// the header now, so a plan cut short after it is still Recon's to replace, and a file that only mentions the
    /// header's members is not.
    func testPlanOutTellsAnEarlierPlanByItsHeader() throws {
        let project = try appliedProject()
        XCTAssertEqual(try project.recon("plan", "-out", "p.json").status, 0)
        let written = try XCTUnwrap(project.directory.data("p.json"))
        project.directory.write("cut.json", String(decoding: written.prefix(written.count / 2), as: UTF8.self))
        let replaced = try project.recon("plan", "-out", "cut.json")
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        let document = try JSONSerialization.jsonObject(with: XCTUnwrap(project.directory.data("cut.json"))) as? [String: Any]
        XCTAssertNotNil(document?["plan"] as? [String: Any], "the cut plan was not replaced by a whole one")

        let lookalike = #"{"notes": "digest, format_version and plan", "plan": {}}"#
        project.directory.write("lookalike.json", lookalike)
        let refused = try project.recon("plan", "-out", "lookalike.json")
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is not a Recon plan file"), refused.stderr)
        XCTAssertEqual(project.directory.data("lookalike.json"), Data(lookalike.utf8))

        // Past the 64 KiB read: a headerless file is parsed whole and still refused.
        let large = "{\"notes\": \"" + String(repeating: "x", count: 80_000) + "\", \"digest\": \"d\", \"format_version\": 1, \"plan\": {}}"
        project.directory.write("large.json", large)
        XCTAssertEqual(try project.recon("plan", "-out", "large.json").status, 1)
        XCTAssertEqual(project.directory.data("large.json"), Data(large.utf8))
    }

    /// Review of session 33: an evidence bundle has a digest, a format version and a plan as well, and is audit
    /// evidence: `-out` never replaces it.
    func testPlanOutNeverReplacesAnEvidenceBundle() throws {
        let project = try appliedProject()
        let listing = try project.recon("runs", "--format", "json")
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any])
        let run = try XCTUnwrap((document["runs"] as? [[String: Any]])?.first?["id"] as? String)
        let bundle = try project.recon("runs", "export", run)
        XCTAssertEqual(bundle.status, 0, bundle.stderr)
        project.directory.write("evidence.json", bundle.stdout)
        let refused = try project.recon("plan", "-out", "evidence.json")
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is not a Recon plan file"), refused.stderr)
        XCTAssertEqual(project.directory.data("evidence.json"), Data(bundle.stdout.utf8))
    }

    func testRollbackOutRefusesToReplaceAFileThatIsNotAPlan() throws {
        let project = try appliedProject()
        let listing = try project.recon("runs", "--format", "json")
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any])
        let run = try XCTUnwrap((document["runs"] as? [[String: Any]])?.first?["id"] as? String)
        for out in ["state/catalog.sqlite", "manifests/schema.yaml"] {
            let before = project.directory.data(out)
            let result = try project.recon("rollback", run, "-out", out)
            XCTAssertEqual(result.status, 1, "\(out): \(result.stdout)\(result.stderr)")
            XCTAssertEqual(project.directory.data(out), before, "\(out) was changed")
        }
        XCTAssertEqual(try project.recon("rollback", run, "-out", "undo.json").status, 0)
        XCTAssertEqual(try project.recon("rollback", run, "-out", "undo.json").status, 0, "an earlier plan may be replaced")
    }
}
