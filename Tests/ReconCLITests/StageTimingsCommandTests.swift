import Foundation
import TestSupport
import XCTest

/// `--timings` accounts for the work a run does: a plan made from cached records with changes in it is made again
/// from the repos read from source (unless the state folder sealed that cache), and that second read is its own
/// `confirm` stage. It used to be in no stage, so at 100,000 creates about 8 s of an apply showed nowhere.
final class StageTimingsCommandTests: XCTestCase {
    private func stages(_ stderr: String) -> [String] {
        guard let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix("Timings: ") }) else { return [] }
        return line.dropFirst("Timings: ".count).split(separator: ",").compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    func testAPlanFromCachedRecordsNamesItsConfirmingReadAndACleanOneDoesNot() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("skills")
        let cold = try project.recon("plan", "--timings")
        XCTAssertEqual(cold.status, 0, cold.stderr)
        XCTAssertEqual(stages(cold.stderr), ["manifests", "state", "extract", "refresh", "diff", "write"], "nothing cached yet: no second read")
        // A cache this state folder cannot vouch for (its key is gone, as when the cache came from elsewhere).
        try FileManager.default.removeItem(atPath: project.path + "/state/.trust-key")
        let cached = try project.recon("apply", "--auto-approve", "--timings")
        XCTAssertEqual(cached.status, 0, cached.stderr)
        XCTAssertEqual(Array(stages(cached.stderr).prefix(6)), ["manifests", "state", "extract", "refresh", "diff", "confirm"],
                       "the creates came from an unvouched cache, so the repo was read again: \(cached.stderr)")
    }
}
