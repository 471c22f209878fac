import Apply
import Foundation
import ReconCore
import TestSupport
import XCTest

/// Recon processes on one base take their requests from one pace (the pace file under the state
/// folder), so a `plan` run while an `apply` writes draws no 429 from a base at its limit.
final class SharedPaceTests: XCTestCase {
    func testAPlanDuringAnApplyOfTheSameBaseDrawsNo429() throws {
        let p = try AirtableProject(emulatorRate: 5, clientRate: 5)
        for index in 0..<80 { p.addSkill("plugin\(index % 4)", "skill\(index)") }
        _ = p.repo.commit("skills")
        let group = DispatchGroup()
        nonisolated(unsafe) let project = p  // the plan thread only runs the binary in its folder
        nonisolated(unsafe) var plans: [ReconProcess.Result] = []
        DispatchQueue.global().async(group: group) {
            // While the apply runs: its schema and first batches take a few seconds at 5/s.
            Thread.sleep(forTimeInterval: 1.5)
            for _ in 0..<2 { if let plan = try? project.recon(["plan", "--no-color"]) { plans.append(plan) } }
        }
        let applied = try p.apply()
        group.wait()
        XCTAssertEqual(applied.status, 0, applied.output)
        XCTAssertEqual(plans.count, 2)
        for plan in plans { XCTAssertEqual(plan.status, 0, plan.stderr) }
        XCTAssertEqual(p.emulator.throttledCount, 0, "\(p.emulator.requests.map(\.status))")
        XCTAssertEqual(p.keys("Skills").count, 80)
        let pace = p.project.path + "/state/" + BaseConnector.paceSubdirectory + "/" + p.baseID
        var info = stat()
        XCTAssertEqual(stat(pace, &info), 0, "the pace file is under the state folder")
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        XCTAssertFalse(try String(contentsOfFile: pace, encoding: .utf8).contains(p.emulator.token))
    }
}
