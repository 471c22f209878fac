import Apply
import Foundation
import ReconCore
import TestSupport
import XCTest

/// A regression: `recon runs` mixed the runs of a dev base and of production in one list with nothing to
/// tell them apart. It now shows each run's target and `--base` keeps one target's runs.
final class RunsTargetTests: XCTestCase {
    private let t0 = UTCTimestamp.parse("2026-11-20T10:00:00.000Z")!

    private func makeRuns(_ temp: TemporaryDirectory) throws -> (production: String, dev: String) {
        let runs = "\(temp.path)/state/runs"
        let production = try RunLedger.start(runsDirectory: runs, operation: .apply, planDigest: "d1", target: "airtable:appPROD",
                                             leaseID: "l1", at: t0)
        try production.finish(.succeeded, at: t0.addingTimeInterval(2))
        let dev = try RunLedger.start(runsDirectory: runs, operation: .apply, planDigest: "d2", target: "airtable:appDEV",
                                      leaseID: "l2", at: t0.addingTimeInterval(60))
        try dev.finish(.succeeded, at: t0.addingTimeInterval(61))
        return (production.id, dev.id)
    }

    func testRunsShowTheTargetOfEachRun() throws {
        let temp = TemporaryDirectory()
        let ids = try makeRuns(temp)
        let result = try ReconProcess.run(["runs"], in: temp.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasSuffix("BATCHES  TARGET"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix(ids.dev) && lines[1].hasSuffix("  airtable:appDEV"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix(ids.production) && lines[2].hasSuffix("  airtable:appPROD"), lines[2])
    }

    func testBaseKeepsTheRunsOfOneTarget() throws {
        let temp = TemporaryDirectory()
        let ids = try makeRuns(temp)
        for base in ["appDEV", "airtable:appDEV"] {
            let result = try ReconProcess.run(["runs", "--base", base], in: temp.path)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertTrue(result.stdout.contains(ids.dev), result.stdout)
            XCTAssertFalse(result.stdout.contains(ids.production), "\(base): \(result.stdout)")
        }
        let json = try ReconProcess.run(["runs", "--base", "appPROD", "--format", "json"], in: temp.path)
        let runs = try XCTUnwrap(try JSONParser.parse(json.stdout)["runs"]?.arrayValue)
        XCTAssertEqual(runs.compactMap { $0["id"]?.stringValue }, [ids.production])
        let none = try ReconProcess.run(["runs", "--base", "appNONE"], in: temp.path)
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertTrue(none.stdout.contains("No runs for appNONE"), none.stdout)
    }
}
