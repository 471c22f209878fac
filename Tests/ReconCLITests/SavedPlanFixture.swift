import Foundation
import ReconCore
import TestSupport
import XCTest

/// A project with a saved update plan, and the means to edit that plan as an attacker would.
enum SavedPlanFixture {
    /// Two skills applied, then skill one renamed and the update saved to plan.json.
    static func projectWithUpdatePlan(environment: [String: String] = [:]) throws -> CLIProject {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("two skills")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        project.skill("alpha", "one", title: "One v2")
        project.repo.commit("rename one")
        let plan = try ReconProcess.run(["plan", "-out", "plan.json"], in: project.path, environment: environment)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        return project
    }

    /// Rewrites plan.json after `edit` changed its body, with a digest that matches the edited body.
    static func tamper(_ project: CLIProject, _ edit: (inout [String: JSONValue]) throws -> Void) throws {
        let document = try JSONParser.parse(Array(try XCTUnwrap(project.directory.read("plan.json")).utf8))
        var body = try XCTUnwrap(document["plan"]?.objectValue)
        try edit(&body)
        let edited = JSONValue.object(body)
        let file = JSONValue.object(["digest": .string("sha256:" + SHA256.hex(edited.canonicalBytes())),
                                     "format_version": .number(1), "plan": edited])
        project.directory.write("plan.json", file.canonicalString(pretty: true))
    }
}
