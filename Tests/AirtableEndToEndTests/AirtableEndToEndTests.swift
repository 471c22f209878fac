import Apply
import Foundation
import Plan
import ReconCore
import TestSupport
import XCTest

/// `recon plan`, `apply`, `rollback` and `drift` (the real binary) against the emulator over
/// loopback HTTP, faults included.
final class AirtableEndToEndTests: XCTestCase {
    func testPlanApplyThenNoChangesAndNoDriftFromOmittedEmptyCells() throws {
        let p = try AirtableProject()
        p.addSkill("alpha", "one")
        p.addSkill("alpha", "two", ready: true)
        _ = p.repo.commit("first")
        let first = try p.recon(["plan", "-detailed-exitcode", "--no-color"])
        XCTAssertEqual(first.status, 2, first.stderr)
        XCTAssertTrue(first.stdout.contains("3 to add"), first.stdout)
        let result = try p.apply()
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.runStatus, "succeeded", result.output)
        XCTAssertEqual(p.keys("Skills"), ["core:plugins/alpha/skills/one", "core:plugins/alpha/skills/two"])
        XCTAssertEqual(p.keys("Plugins"), ["core:plugins/alpha"])
        let one = try XCTUnwrap(p.records("Skills").first { $0["Key"] == "core:plugins/alpha/skills/one" })
        XCTAssertEqual(Set(one.keys), ["id", "Key", "Name", "Plugin", "Status"], "empty summary, false and [] are not stored")

        let again = try p.recon(["plan", "-detailed-exitcode", "--no-color"])
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        let drift = try p.recon(["drift", "--no-color"])
        XCTAssertEqual(drift.status, 0, drift.stdout + drift.stderr)

        let id = try XCTUnwrap(one["id"]?.stringValue)
        p.emulator.editCell(p.baseID, table: "Skills", record: id, field: "Name", to: "Edited in the UI")
        let edited = try p.recon(["drift", "--no-color"])
        XCTAssertEqual(edited.status, 2, edited.stdout + edited.stderr)
        XCTAssertTrue(edited.stdout.contains("Edited in the UI"), edited.stdout)
    }

    func testApplyThroughLostAnswersAnd5xxDuplicatesNothingAndLosesNothing() throws {
        let p = try AirtableProject()
        var expected: [String] = []
        for plugin in ["alpha", "beta"] {
            for index in 0..<12 {
                p.addSkill(plugin, "s\(index)")
                expected.append("core:plugins/\(plugin)/skills/s\(index)")
            }
        }
        _ = p.repo.commit("many")
        XCTAssertEqual(try p.recon(["plan", "-out", "plan.json"]).status, 0)
        p.emulator.resetLog()
        p.emulator.failNext(1, status: 502)
        p.emulator.dropResponses(3, methods: ["PATCH", "POST"])
        let result = try p.apply("plan.json")
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.runStatus, "succeeded", result.output)
        let statuses = p.emulator.requests.map(\.status)
        XCTAssertEqual(statuses.filter { $0 == 0 }.count, 3, "three answers were lost")
        XCTAssertTrue(statuses.contains(502))
        XCTAssertEqual(p.keys("Skills"), expected.sorted(), "every skill once: nothing duplicated, nothing lost")
        XCTAssertEqual(p.keys("Plugins"), ["core:plugins/alpha", "core:plugins/beta"])
        XCTAssertEqual(p.emulator.tableNames(p.baseID), ["Plugins", "Skills"])
        XCTAssertEqual(try p.recon(["plan", "-detailed-exitcode"]).status, 0, "the state caught up with every write")
        let links = Set(p.records("Skills").compactMap { $0["Plugin"]?.arrayValue?.count })
        XCTAssertEqual(links, [1], "every skill links to its plugin")
    }

    func testRollbackOfAnAirtableApplyRestoresTheRecords() throws {
        let p = try AirtableProject()
        p.addSkill("alpha", "one")
        p.addSkill("alpha", "two")
        _ = p.repo.commit("first")
        XCTAssertEqual(try p.apply().runStatus, "succeeded")
        let before = p.records("Skills").map { ($0["Key"]?.stringValue ?? "", $0["Name"]?.stringValue ?? "") }.sorted { $0.0 < $1.0 }

        p.addSkill("alpha", "one", name: "Changed")
        p.repo.remove("plugins/alpha/skills/two")
        p.addSkill("beta", "three")
        _ = p.repo.commit("second")
        let second = try p.apply(allow: "RC101")
        let run = try XCTUnwrap(second.runID, second.output)
        XCTAssertEqual(p.keys("Skills"), ["core:plugins/alpha/skills/one", "core:plugins/beta/skills/three"])

        let rollback = try p.recon(["rollback", run, "-out", "undo.json"])
        XCTAssertEqual(rollback.status, 0, rollback.stderr)
        XCTAssertTrue(rollback.stdout.contains("to roll back run \(run)"), rollback.stdout)
        p.emulator.dropResponses(1, methods: ["PATCH"])
        p.emulator.failNext(1, status: 503)
        let undone = try p.apply("undo.json")
        XCTAssertEqual(undone.runStatus, "succeeded", undone.output)
        let after = p.records("Skills").map { ($0["Key"]?.stringValue ?? "", $0["Name"]?.stringValue ?? "") }.sorted { $0.0 < $1.0 }
        XCTAssertEqual(after.map(\.0), before.map(\.0))
        XCTAssertEqual(after.map(\.1), before.map(\.1))
        XCTAssertEqual(p.keys("Plugins"), ["core:plugins/alpha"])
    }

    /// A field people added in the UI, which the manifests do not declare, comes back when a delete is rolled back.
    func testRollbackOfADeleteRestoresAFieldTheManifestsDoNotDeclare() throws {
        let p = try AirtableProject()
        p.addSkill("alpha", "one")
        p.addSkill("alpha", "two")
        _ = p.repo.commit("first")
        XCTAssertEqual(try p.apply().runStatus, "succeeded")
        p.emulator.addField(p.baseID, table: "Skills", name: "Reviewer notes", type: "multilineText")
        let two = try XCTUnwrap(p.records("Skills").first { $0["Key"] == "core:plugins/alpha/skills/two" }?["id"]?.stringValue)
        p.emulator.editCell(p.baseID, table: "Skills", record: two, field: "Reviewer notes", to: "checked by hand")

        p.repo.remove("plugins/alpha/skills/two")
        _ = p.repo.commit("second")
        let second = try p.apply(allow: "RC101")
        let run = try XCTUnwrap(second.runID, second.output)
        XCTAssertEqual(p.keys("Skills"), ["core:plugins/alpha/skills/one"])

        XCTAssertEqual(try p.recon(["rollback", run, "-out", "undo.json"]).status, 0)
        XCTAssertEqual(try p.apply("undo.json").runStatus, "succeeded")
        let restored = try XCTUnwrap(p.records("Skills").first { $0["Key"] == "core:plugins/alpha/skills/two" })
        XCTAssertEqual(restored["Reviewer notes"], "checked by hand")
    }

    func testBaseIDSelectsADevBaseWithItsOwnStateAndNeverTouchesProduction() throws {
        let p = try AirtableProject()
        let dev = p.emulator.addBase()
        p.addSkill("alpha", "one")
        _ = p.repo.commit("first")
        XCTAssertEqual(try p.apply().runStatus, "succeeded")
        let productionState = try XCTUnwrap(p.project.read("state/recon.state.json"))
        let productionRecords = p.records("Skills")

        let planned = try p.recon(["--base-id", dev, "plan", "-detailed-exitcode", "--no-color"])
        XCTAssertEqual(planned.status, 2, "the dev base is empty, so everything is to create: \(planned.stderr)")
        XCTAssertTrue(planned.stdout.contains("2 to add"), planned.stdout)

        let applied = try p.apply(baseID: dev)
        XCTAssertEqual(applied.runStatus, "succeeded", applied.output)
        XCTAssertEqual(p.keys("Skills", base: dev), ["core:plugins/alpha/skills/one"])
        XCTAssertTrue(p.project.exists("state/recon.\(dev).state.json"), "\(p.project.listing())")
        XCTAssertEqual(p.project.read("state/recon.state.json"), productionState, "the production state is untouched")
        XCTAssertEqual(p.records("Skills"), productionRecords, "and so is the production base")

        // The flag beats the environment: a bogus base in the environment is ignored, and the
        // environment alone selects the dev base too.
        var env = p.environment
        env[TargetSelection.baseEnvironment] = dev
        XCTAssertEqual(try p.recon(["plan", "-detailed-exitcode"], environment: env).status, 0)
        env[TargetSelection.baseEnvironment] = "appXXXXXXXXXXXXXX"
        let flagged = try p.recon(["plan", "--base-id", dev, "-detailed-exitcode"], environment: env)
        XCTAssertEqual(flagged.status, 0, flagged.stdout + flagged.stderr)
        let invalid = try p.recon(["plan", "--base-id", "nope"])
        XCTAssertEqual(invalid.status, 1)
        XCTAssertTrue(invalid.stderr.contains("invalid Airtable base id 'nope'"), invalid.stderr)
    }

    func testTheTokenComesFromItsVariableAndNeverLeaks() throws {
        let p = try AirtableProject()
        p.addSkill("alpha", "one")
        _ = p.repo.commit("first")
        let missing = try p.recon(["plan"], environment: [:])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains(AirtableProject.tokenVariable), missing.stderr)

        p.emulator.setEchoesAuthorization(true)
        let wrong = "patWrongToken.0123456789abcdefWRONG"
        let refused = try p.recon(["plan"], environment: [AirtableProject.tokenVariable: wrong])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("AUTHENTICATION_REQUIRED"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains(wrong) || refused.stdout.contains(wrong), refused.stderr)
        p.emulator.setEchoesAuthorization(false)

        XCTAssertEqual(try p.apply().runStatus, "succeeded")
        _ = try p.recon(["plan", "-out", "plan.json"])
        _ = try p.recon(["drift", "--format", "json"])
        for file in p.project.listing() {
            guard let text = p.project.read(file) else { continue }
            XCTAssertFalse(text.contains(p.emulator.token), "the token is in \(file)")
        }
        XCTAssertTrue(p.project.exists("plan.json"))
    }

    func testWhatTheAPICannotDoBecomesManualItemsNotFailingRequests() throws {
        let p = try AirtableProject()
        p.addSkill("alpha", "one")
        _ = p.repo.commit("first")
        XCTAssertEqual(try p.apply().runStatus, "succeeded")
        let schema = try XCTUnwrap(p.project.read("manifests/schema.yaml"))
        p.project.write("manifests/schema.yaml", schema
            .replacingOccurrences(of: "choices: [Draft, Published]", with: "choices: [Draft, Published, Archived]")
            .replacingOccurrences(of: "{name: Summary, type: multilineText}", with: "{name: Summary, type: singleLineText}"))
        p.emulator.resetLog()
        let planned = try p.recon(["plan", "--format", "json"])
        XCTAssertEqual(planned.status, 0, planned.stderr)
        let json = try JSONParser.parse(planned.stdout)
        let kinds = Self.values(of: "manual_kind", in: json).sorted()
        XCTAssertEqual(kinds, ["field-options-changed", "field-type-changed"], planned.stdout)
        XCTAssertFalse(p.emulator.requests.contains { $0.method != "GET" }, "planning writes nothing")
        let applied = try p.apply()
        XCTAssertEqual(applied.status, 0, "apply skips manual items instead of failing: \(applied.output)")
        XCTAssertEqual(p.emulator.fields(p.baseID, table: "Skills").first { $0.name == "Status" }?.choices, ["Draft", "Published"])
    }

    /// Every string under `key`, anywhere in the document (the plan nests its body).
    static func values(of key: String, in json: JSONValue) -> [String] {
        switch json {
        case .object(let members):
            return members.flatMap { name, value in name == key ? [value.stringValue].compactMap { $0 } : values(of: key, in: value) }
        case .array(let items): return items.flatMap { values(of: key, in: $0) }
        default: return []
        }
    }
}
