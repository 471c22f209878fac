import Foundation
import ReconCore
import TestSupport
import XCTest

/// With the state in PostgreSQL (issue 9), the outputs read from the state's schema conform to the same
/// schemas: a run's `directory` is the schema, target and run rather than a folder.
final class PostgresJSONSchemaTests: XCTestCase {
    func testRunsDriftPruneAndStateFromPostgreSQLMatchTheirSchemas() throws {
        let shared = SharedClones(server: try PostgresServer.shared(), skills: 2,
                                  extra: "hooks:\n  post_apply:\n    - {run: [\"/bin/sh\", \"-c\", \"echo done\"]}")
        let apply = try shared.recon(0, "apply", "--auto-approve", "--json")
        XCTAssertEqual(apply.status, 0, apply.stderr)
        try OutputSchema.assertValidLines(apply.stdout, against: "apply-event.schema.json")
        _ = shared.sql("UPDATE Skills SET Name = 'by hand' WHERE Name = 's0'")
        try OutputSchema.assertValid(try shared.recon(0, "drift", "--format", "json"), status: 2, against: "drift.schema.json")

        let runs = try OutputSchema.assertValid(try shared.recon(1, "runs", "--format", "json"), status: 0, against: "runs.schema.json")
        let listed = try XCTUnwrap(runs["runs"]?.arrayValue)
        XCTAssertEqual(listed.compactMap { $0["operation"]?.stringValue }, ["drift", "apply"])
        XCTAssertTrue(listed[0]["directory"]?.stringValue?.contains(shared.schema) == true, "\(listed[0])")
        XCTAssertNotNil(listed[1]["hooks"], "the hook result is in the listing")

        // The ledger and outcome lines as PostgreSQL keeps them, through the evidence bundle.
        let runID = try XCTUnwrap(listed[1]["id"]?.stringValue)
        let bundle = try shared.recon(1, "runs", "export", runID)
        XCTAssertEqual(bundle.status, 0, bundle.stderr)
        let evidence = try JSONParser.parse(bundle.stdout)
        try OutputSchema.assertValid(try XCTUnwrap(evidence["ledger"]).canonicalString(), against: "run-ledger.schema.json")
        try OutputSchema.assertValid(try XCTUnwrap(evidence["plan"]).canonicalString(), against: "plan.schema.json")
        let lines = try XCTUnwrap(evidence["outcomes"]?.arrayValue).map { $0.canonicalString() }.joined(separator: "\n")
        try OutputSchema.assertValidLines(lines, against: "outcome.schema.json")

        try OutputSchema.assertValid(try shared.recon(1, "state", "pull"), status: 0, against: "state.schema.json")
        try OutputSchema.assertValid(try shared.recon(1, "prune", "--dry-run", "--format", "json"), status: 0, against: "prune.schema.json")
        shared.assertNothingLocal()
    }
}
