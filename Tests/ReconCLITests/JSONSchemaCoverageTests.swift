import Apply
import Foundation
import Manifest
import Plan
@testable import ReconCLI
import ReconCore
import TestSupport
import XCTest

/// The schemas cannot rot: each is loadable by the validator, validated against real output by some test,
/// states the code's closed sets exactly, and refuses a real output once it is broken.
final class JSONSchemaCoverageTests: XCTestCase {
    func testEverySchemaIsLoadableAndValidatedByATest() throws {
        let files = OutputSchema.files
        XCTAssertGreaterThanOrEqual(files.count, 12, "docs/schemas/ at \(OutputSchema.folder)")
        for name in files { XCTAssertNoThrow(try OutputSchema.validator(name), name) }

        let tests = Golden.folder()
        var used: Set<String> = []
        let pattern = try NSRegularExpression(pattern: #"against: "([A-Za-z0-9-]+\.schema\.json)""#)
        for file in try FileManager.default.contentsOfDirectory(atPath: tests) where file.hasSuffix(".swift") && file != "OutputSchema.swift" {
            let source = try String(contentsOfFile: tests + "/" + file, encoding: .utf8)
            for match in pattern.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
                used.insert(String(source[Range(match.range(at: 1), in: source)!]))
            }
        }
        XCTAssertEqual(Set(files).subtracting(used), [], "schemas no test validates real output against")
        XCTAssertEqual(used.subtracting(files), [], "tests name schemas that do not exist")
        let readme = try String(contentsOfFile: OutputSchema.folder + "/README.md", encoding: .utf8)
        for name in files { XCTAssertTrue(readme.contains(name), "docs/schemas/README.md does not list \(name)") }
    }

    /// The enums of the schemas are the closed sets of the code, so adding a case fails here until the schema says it.
    func testSchemaEnumsAreTheClosedSetsOfTheCode() throws {
        let plan = try OutputSchema.document("plan.schema.json")
        try expect(plan, "/$defs/recordAction/enum", RecordAction.allCases.map(\.rawValue))
        try expect(plan, "/$defs/changeReason/enum", ChangeReason.allCases.map(\.rawValue))
        try expect(plan, "/$defs/fieldChangeKind/enum", FieldChangeKind.allCases.map(\.rawValue))
        try expect(plan, "/$defs/checkCode/enum", CheckCode.allCases.map(\.rawValue))
        try expect(plan, "/$defs/fieldType/enum", FieldType.Name.allCases.map(\.rawValue))
        try expect(plan, "/$defs/finding/properties/level/enum", CheckLevel.allCases.filter { $0 != .off }.map(\.rawValue))
        try expect(plan, "/$defs/rollbackConflict/properties/reason/enum", RollbackConflict.Reason.allCases.map(\.rawValue))
        try expect(plan, "/$defs/schemaChange/oneOf/6/properties/manual_kind/enum", ManualItem.Kind.allCases.map(\.rawValue))
        let check = try OutputSchema.document("check.schema.json")
        try expect(check, "/properties/findings/items/properties/code/enum", CheckCode.allCases.map(\.rawValue))

        let runs = try OutputSchema.document("runs.schema.json")
        try expect(runs, "/$defs/run/properties/status/enum", RunStatus.allCases.map(\.rawValue))
        try expect(runs, "/$defs/run/properties/recorded_status/enum", RunStatus.allCases.filter { $0 != .interrupted }.map(\.rawValue))
        try expect(runs, "/$defs/run/properties/operation/enum", RunOperation.allCases.map(\.rawValue))
        let ledger = try OutputSchema.document("run-ledger.schema.json")
        try expect(ledger, "/properties/status/enum", RunStatus.allCases.filter { $0 != .interrupted }.map(\.rawValue))
        try expect(ledger, "/properties/phases/items/properties/name/enum", ApplyPhase.allCases.map(\.rawValue))
        try expect(try OutputSchema.document("prune.schema.json"), "/properties/removed/items/properties/kind/enum",
                   RetentionPruner.Kind.allCases.map(\.rawValue))

        let outcome = try OutputSchema.document("outcome.schema.json")
        try expect(outcome, "/$defs/outcome/properties/action/enum", RecordAction.allCases.map(\.rawValue))
        try expect(outcome, "/$defs/outcome/properties/status/enum", EntityOutcome.Status.allCases.map(\.rawValue))

        let events = try OutputSchema.document("apply-event.schema.json")
        try expect(events, "/$defs/phaseName/enum", ApplyPhase.allCases.map(\.rawValue))
        try expect(events, "/$defs/record/properties/action/enum", RecordAction.allCases.map(\.rawValue))
        try expect(events, "/$defs/record/properties/status/enum", EntityOutcome.Status.allCases.map(\.rawValue))
        try expect(events, "/$defs/error/properties/code/enum", EventStream.ErrorCode.allCases.map(\.rawValue))
        let kinds = try (events["oneOf"]?.arrayValue ?? []).map { branch -> String in
            let name = String(try XCTUnwrap(branch["$ref"]?.stringValue).dropFirst("#/$defs/".count))
            return try XCTUnwrap(events["$defs"]?[name]?["properties"]?["event"]?["const"]?.stringValue, name)
        }
        XCTAssertEqual(Set(kinds), Set(EventStream.Kind.allCases.map(\.rawValue)), "apply-event.schema.json's event kinds")
    }

    /// Real outputs, broken in ways a schema must notice: a string version, an unknown member, a value outside a closed set.
    func testTheSchemasRefuseRealOutputsOnceBroken() throws {
        let project = CLIProject()
        project.skill("alpha", "one")
        project.repo.commit("one")
        let plan = try JSONParser.parse(try project.recon("plan", "--format", "json").stdout)
        let apply = try project.recon("apply", "--auto-approve", "--json").stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        let runs = try JSONParser.parse(try project.recon("runs", "--format", "json").stdout)
        let planSchema = try OutputSchema.validator("plan.schema.json")
        let eventSchema = try OutputSchema.validator("apply-event.schema.json")
        let runsSchema = try OutputSchema.validator("runs.schema.json")
        XCTAssertEqual(planSchema.errors(plan), [])
        XCTAssertEqual(apply.flatMap(eventSchema.errors), [])
        XCTAssertEqual(runsSchema.errors(runs), [])

        let broken: [(JSONSchemaValidator, JSONValue, String)] = [
            (planSchema, edit(plan) { $0["format_version"] = "1" }, "format_version as a string"),
            (planSchema, edit(plan) { $0["plan"] = edit($0["plan"]!) { $0["extra"] = 1 } }, "an unknown member of plan"),
            (planSchema, edit(plan) { document in
                document["plan"] = edit(document["plan"]!) { body in
                    body["record_changes"] = .array(body["record_changes"]!.arrayValue!.map { edit($0) { $0["action"] = "explode" } })
                }
            }, "an unknown action"),
            (planSchema, edit(plan) { document in
                document["plan"] = edit(document["plan"]!) { body in
                    body["record_changes"] = .array(body["record_changes"]!.arrayValue!.map { edit($0) { $0["fields"] = [] } })
                }
            }, "a change with both set and fields"),
            (eventSchema, edit(apply.last!) { $0["status"] = "exploded" }, "a done event with an unknown status"),
            (eventSchema, edit(apply.first!) { $0["event"] = "begin" }, "an unknown event kind"),
            (eventSchema, edit(apply.first!) { $0["time"] = "yesterday" }, "a time that is not UTC ISO 8601"),
            (runsSchema, edit(runs) { $0["runs"] = .array(runs["runs"]!.arrayValue!.map { edit($0) { $0.removeValue(forKey: "status") } }) },
             "a run without its status"),
        ]
        for (validator, document, what) in broken { XCTAssertFalse(validator.errors(document).isEmpty, what) }
    }

    private func edit(_ value: JSONValue, _ change: (inout [String: JSONValue]) -> Void) -> JSONValue {
        var members = value.objectValue ?? [:]
        change(&members)
        return .object(members)
    }

    private func expect(_ schema: JSONValue, _ pointer: String, _ cases: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        var node: JSONValue? = schema
        for part in pointer.split(separator: "/") {
            node = Int(part).flatMap { index in node?.arrayValue.flatMap { index < $0.count ? $0[index] : nil } } ?? node?[String(part)]
        }
        let values = try XCTUnwrap(node?.arrayValue, "no enum at \(pointer)", file: file, line: line).compactMap(\.stringValue)
        XCTAssertEqual(Set(values), Set(cases), pointer, file: file, line: line)
        XCTAssertEqual(values.count, cases.count, "\(pointer) repeats a value", file: file, line: line)
    }
}
