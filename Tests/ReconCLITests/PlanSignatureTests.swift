import Foundation
import ReconCore
import TestSupport
import XCTest

/// `RECON_PLAN_KEY`: `plan -out` signs the file with HMAC-SHA-256 and `apply` requires a valid signature.
final class PlanSignatureTests: XCTestCase {
    private let one = "core:plugins/alpha/skills/one"
    private let key = "correct horse battery staple"

    func testASignedPlanAppliesWithTheKey() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan(environment: ["RECON_PLAN_KEY": key])
        let text = try XCTUnwrap(project.directory.read("plan.json"))
        XCTAssertTrue(text.contains("\"signature\": \"hmac-sha256:"), text)
        XCTAssertFalse(text.contains(key), "the key never reaches the file")
        let apply = try ReconProcess.run(["apply", "plan.json"], in: project.path, environment: ["RECON_PLAN_KEY": key])
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertFalse((apply.stdout + apply.stderr).contains(key))
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["One v2"])
    }

    func testAnUnsignedPlanIsRefusedWhenTheKeyIsSet() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan()
        let apply = try ReconProcess.run(["apply", "plan.json"], in: project.path, environment: ["RECON_PLAN_KEY": key])
        XCTAssertEqual(apply.status, 1)
        XCTAssertTrue(apply.stderr.contains("plan.json: the plan is not signed, and RECON_PLAN_KEY requires a signature"), apply.stderr)
        XCTAssertFalse((apply.stdout + apply.stderr).contains(key))
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["one"])
    }

    func testASignedPlanWithARecomputedDigestOrAnotherKeyIsRefused() throws {
        let project = try SavedPlanFixture.projectWithUpdatePlan(environment: ["RECON_PLAN_KEY": key])
        let signed = try XCTUnwrap(project.directory.read("plan.json"))
        let wrongKey = try ReconProcess.run(["apply", "plan.json"], in: project.path, environment: ["RECON_PLAN_KEY": "another key"])
        XCTAssertEqual(wrongKey.status, 1)
        XCTAssertTrue(wrongKey.stderr.contains("plan.json: the plan's signature does not match"), wrongKey.stderr)

        let signature = try XCTUnwrap(JSONParser.parse(Array(signed.utf8))["signature"])
        try SavedPlanFixture.tamper(project) { body in body["serial"] = .number(99) }
        var document = try XCTUnwrap(JSONParser.parse(Array(try XCTUnwrap(project.directory.read("plan.json")).utf8)).objectValue)
        document["signature"] = signature
        project.directory.write("plan.json", JSONValue.object(document).canonicalString(pretty: true))
        let tampered = try ReconProcess.run(["apply", "plan.json"], in: project.path, environment: ["RECON_PLAN_KEY": key])
        XCTAssertEqual(tampered.status, 1)
        XCTAssertTrue(tampered.stderr.contains("plan.json: the plan's signature does not match"), tampered.stderr)
        XCTAssertFalse((tampered.stdout + tampered.stderr + wrongKey.stderr).contains(key))
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(one)'"), ["one"])
    }
}
