import Manifest
import ReconCore
import Remote
import State
import XCTest
@testable import Plan

/// Values that a base gives back in another spelling are the same value: no plan change, no drift.
final class ValueMeaningTests: XCTestCase {
    private static let yaml = """
        tables:
          - name: Events
            key: Key
            fields:
              - {name: Key, type: singleLineText}
              - {name: When, type: dateTime}
              - {name: Day, type: date}
              - {name: Tags, type: multipleSelects, choices: [a, b, c]}
              - {name: Score, type: number, precision: 2}
        """

    private func plan(desired: [String: FieldValue], state: [String: FieldValue], base: [String: FieldValue]) throws -> Plan {
        let manifest = try ManifestLoader().load(sources: [("m.yaml", Array(Self.yaml.utf8))])
        var model = StateModel(lineage: "11111111-2222-3333-4444-555555555555", target: "sqlite:x.sqlite", serial: 1)
        model.tables = ["Events": TableState(id: "tblE", fields: ["Key": "fK", "When": "fW", "Day": "fD", "Tags": "fT", "Score": "fS"])]
        model.records["Events"] = ["e1": ManagedRecord(id: "rec1", values: state)]
        let schema = RemoteSchema(tables: [RemoteTable(id: "tblE", name: "Events", fields: [
            RemoteField(id: "fK", name: "Key", type: "singleLineText"),
            RemoteField(id: "fW", name: "When", type: "dateTime"),
            RemoteField(id: "fD", name: "Day", type: "date"),
            RemoteField(id: "fT", name: "Tags", type: "multipleSelects", choices: ["a", "b", "c"]),
            RemoteField(id: "fS", name: "Score", type: "number", precision: 2),
        ])])
        var fields = base
        fields["Key"] = .text("e1")
        let remote = RemoteSnapshot(schema: schema, records: ["Events": [RemoteRecord(id: "rec1", fields: fields)]])
        let record = DesiredRecord(table: "Events", key: "e1", fields: desired, provenance: Provenance(repo: "r", path: "p", sourceCommit: "c"))
        return try Planner.plan(PlanInput(manifest: manifest, desired: [record], state: model, remote: remote))
    }

    func testADateTimeWithAnOffsetIsTheSameInstantInUTC() throws {
        let written: [String: FieldValue] = ["When": .text("2024-05-03T10:00:00+02:00")]
        for read in ["2024-05-03T08:00:00Z", "2024-05-03T08:00:00.000Z", "2024-05-03T03:00:00-05:00"] {
            let plan = try plan(desired: written, state: written, base: ["When": .text(read)])
            XCTAssertEqual(plan.recordChanges, [], "\(read) is the instant that was written")
        }
        let moved = try plan(desired: written, state: written, base: ["When": .text("2024-05-03T10:00:00Z")])
        XCTAssertEqual(moved.recordChanges.first?.field("When")?.kind, .drift, "another instant is drift")
    }

    func testFractionalSecondsCompareAsInstants() throws {
        let written: [String: FieldValue] = ["When": .text("2024-05-03T10:00:00.5+02:00")]
        XCTAssertEqual(try plan(desired: written, state: written, base: ["When": .text("2024-05-03T08:00:00.500Z")]).recordChanges, [])
    }

    /// A base keeps its own grain (PostgreSQL microseconds, Airtable milliseconds) and rounds to it: the read-back
    /// instant is within a millisecond of what was written, and that is no drift, whichever way the digits round.
    func testDigitsPastAMillisecondAreNoDrift() throws {
        for (written, read) in [("2024-05-03T10:00:00.1234995Z", "2024-05-03T10:00:00.1235Z"),
                                ("2024-05-03T10:00:00.9999995Z", "2024-05-03T10:00:01Z"),
                                ("2024-05-03T10:00:00.1239Z", "2024-05-03T10:00:00.123Z"),
                                ("1969-12-31T23:59:59.9995Z", "1970-01-01T00:00:00Z")] {
            let desired: [String: FieldValue] = ["When": .text(written)]
            XCTAssertEqual(try plan(desired: desired, state: desired, base: ["When": .text(read)]).recordChanges, [],
                           "\(read) is how a base keeps \(written)")
        }
        let desired: [String: FieldValue] = ["When": .text("2024-05-03T10:00:00.123Z")]
        for read in ["2024-05-03T10:00:00.124Z", "2024-05-03T10:00:00.122Z", "2024-05-03T10:00:00.1241Z"] {
            XCTAssertEqual(try plan(desired: desired, state: desired, base: ["When": .text(read)]).recordChanges.first?.field("When")?.kind,
                           .drift, "\(read) is a millisecond or more away: drift")
        }
    }

    func testMultipleSelectsCompareAsChoicesNotOrder() throws {
        let written: [String: FieldValue] = ["Tags": .list(["b", "a"])]
        XCTAssertEqual(try plan(desired: written, state: written, base: ["Tags": .list(["a", "b"])]).recordChanges, [])
        let reordered = try plan(desired: ["Tags": .list(["a", "b"])], state: written, base: ["Tags": .list(["b", "a"])])
        XCTAssertEqual(reordered.recordChanges, [], "reordering the choices in the manifests changes nothing")
    }

    func testNumbersAndDatesCompareByValue() throws {
        let written: [String: FieldValue] = ["Score": .number(1.234), "Day": .text("2024-05-03")]
        XCTAssertEqual(try plan(desired: written, state: written, base: ["Score": .number(1.23), "Day": .text("2024-05-03")]).recordChanges, [])
    }
}
