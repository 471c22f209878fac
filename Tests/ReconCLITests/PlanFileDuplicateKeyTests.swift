import TestSupport
import XCTest

/// A saved plan with a key given twice: the reader used to keep the last one, so the digest still matched while a
/// reviewer (or any tool keeping the first) read another record than the one applied.
final class PlanFileDuplicateKeyTests: XCTestCase {
    func testShowAndApplyRefuseAKeyGivenTwiceAndWriteNothing() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        XCTAssertEqual(try project.recon("plan", "-out", "plan.json").status, 0)
        let text = try XCTUnwrap(project.directory.read("plan.json"))
        var lines = text.components(separatedBy: "\n")
        let real = try XCTUnwrap(lines.firstIndex { $0.contains(#""key": "core:plugins/alpha/skills/one""#) })
        lines.insert(lines[real].replacingOccurrences(of: "skills/one", with: "skills/shown-to-reviewers"), at: real)
        project.directory.write("plan.json", lines.joined(separator: "\n"))
        let column = lines[real + 1].prefix { $0 == " " }.count + 1
        for command in [["show", "plan.json"], ["apply", "plan.json"]] {
            let result = try ReconProcess.run(command, in: project.path)
            XCTAssertEqual(result.status, 1, "\(command): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains(#"plan.json: the plan file is not valid JSON (line \#(real + 2), column \#(column): duplicate key "key")"#),
                          result.stderr)
        }
        XCTAssertFalse(project.directory.exists("state/catalog.sqlite"), "nothing was applied")
    }
}
