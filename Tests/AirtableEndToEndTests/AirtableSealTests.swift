import Foundation
import ReconCore
import TestSupport
import XCTest

/// The no-op seal against an Airtable base (the emulator over loopback): a quiet base costs the schema and one
/// filtered request per table instead of every page; an edit, a new record or a day passing brings the full read back.
final class AirtableSealTests: XCTestCase {
    private func pages(_ p: AirtableProject) -> [AirtableEmulator.LoggedRequest] {
        p.emulator.requests.filter { $0.method == "GET" && $0.path.contains("/v0/\(p.baseID)/") && $0.formula == nil }
    }

    func testAQuietBaseIsAnsweredFromTheSealAndAnOutsideEditIsNot() throws {
        let p = try AirtableProject()
        for index in 0..<30 { p.addSkill("alpha", "s\(index)") }
        _ = p.repo.commit("skills")
        XCTAssertEqual(try p.apply().status, 0)
        // The mark is the server's clock less a minute: a seal made right after an apply would still see its writes.
        p.emulator.advanceClock(by: 120)
        let full = try p.recon(["plan", "-detailed-exitcode", "--no-color"])
        XCTAssertEqual(full.status, 0, full.stdout + full.stderr)
        p.emulator.resetLog()
        let sealed = try p.recon(["plan", "-detailed-exitcode", "--no-color", "--timings"])
        XCTAssertEqual(sealed.status, 0, sealed.stdout + sealed.stderr)
        XCTAssertTrue(sealed.stderr.contains("seal"), "the fast path was taken: \(sealed.stderr)")
        XCTAssertEqual(pages(p), [], "no table was listed")
        // The schema once (the seal's check finds the tables, and the change check fingerprints that same answer)
        // and one filtered request per table, whatever the number of records.
        XCTAssertEqual(p.emulator.requests.count, 1 + 2, "\(p.emulator.requests.map(\.path))")

        let id = try XCTUnwrap(p.records("Skills").first?["id"]?.stringValue)
        p.emulator.editCell(p.baseID, table: "Skills", record: id, field: "Name", to: "Edited in the UI")
        let edited = try p.recon(["plan", "-detailed-exitcode", "--no-color"])
        XCTAssertEqual(edited.status, 2, edited.stdout + edited.stderr)
        XCTAssertTrue(edited.stdout.contains("Edited in the UI"), edited.stdout)
    }

    /// Deletions are invisible to the last-modified filter, so a seal is good for a day at most.
    func testADeletionIsSeenByTheFullReadADayLater() throws {
        let p = try AirtableProject()
        for index in 0..<3 { p.addSkill("alpha", "s\(index)") }
        _ = p.repo.commit("skills")
        XCTAssertEqual(try p.apply().status, 0)
        p.emulator.advanceClock(by: 120)
        XCTAssertEqual(try p.recon(["drift", "--no-color"]).status, 0)
        let id = try XCTUnwrap(p.records("Skills").first?["id"]?.stringValue)
        p.emulator.deleteRecord(p.baseID, table: "Skills", record: id)
        let unseen = try p.recon(["drift", "--no-color"])
        XCTAssertEqual(unseen.status, 0, "within the day the filter cannot see it: \(unseen.stdout)")
        XCTAssertEqual(try p.recon(["drift", "--full", "--no-color"]).status, 2, "drift --full reads every page")
        p.emulator.advanceClock(by: 86_400)
        let seen = try p.recon(["drift", "--no-color"])
        XCTAssertEqual(seen.status, 2, "a day on, the full read finds it: \(seen.stdout)")
    }
}
