import Manifest
import ReconCore
import Remote
import State
@testable import Plan

/// Builds planner inputs from short literals: a manifest in YAML, records as dictionaries.
struct PlanFixture {
    static let schema = """
        tables:
          - name: Plugins
            key: Key
            fields:
              - {name: Key, type: singleLineText}
              - {name: Name, type: singleLineText}
          - name: Skills
            key: Key
            description: Agent skills
            fields:
              - {name: Key, type: singleLineText}
              - {name: Name, type: singleLineText}
              - {name: Score, type: number, precision: 1}
              - {name: Ready, type: checkbox}
              - {name: Plugin, type: multipleRecordLinks, table: Plugins}
              - {name: Status, type: singleSelect, choices: [Draft, Published]}
              - {name: Notes, type: multilineText}
        protected:
          Skills: [Status, Notes]
        """

    var manifest: Manifest
    var desired: [DesiredRecord] = []
    var state = StateModel(lineage: "11111111-2222-3333-4444-555555555555", target: "sqlite:state/catalog.sqlite", serial: 7)
    var remote: RemoteSnapshot

    init(extra: String = "", onDelete: String? = nil) throws {
        var text = PlanFixture.schema
        if let onDelete {
            text = text.replacingOccurrences(of: "    description: Agent skills", with: "    description: Agent skills\n    on_delete: \(onDelete)"
                + (onDelete == "archive" ? "\n    archive_field: Ready" : ""))
        }
        manifest = try ManifestLoader().load(sources: [("m.yaml", Array((text + "\n" + extra).utf8))])
        remote = RemoteSnapshot(schema: PlanFixture.remoteSchema(), records: [:])
        state.tables = ["Plugins": TableState(id: "tblPlugins", fields: ["Key": "fldPK", "Name": "fldPN"]),
                        "Skills": TableState(id: "tblSkills", fields: PlanFixture.skillFieldIDs)]
    }

    static let skillFieldIDs = ["Key": "fldK", "Name": "fldN", "Score": "fldS", "Ready": "fldR", "Plugin": "fldP",
                                "Status": "fldT", "Notes": "fldO"]

    static func remoteSchema() -> RemoteSchema {
        RemoteSchema(tables: [
            RemoteTable(id: "tblPlugins", name: "Plugins", fields: [
                RemoteField(id: "fldPK", name: "Key", type: "singleLineText"),
                RemoteField(id: "fldPN", name: "Name", type: "singleLineText"),
            ]),
            RemoteTable(id: "tblSkills", name: "Skills", description: "Agent skills", fields: [
                RemoteField(id: "fldK", name: "Key", type: "singleLineText"),
                RemoteField(id: "fldN", name: "Name", type: "singleLineText"),
                RemoteField(id: "fldS", name: "Score", type: "number", precision: 1),
                RemoteField(id: "fldR", name: "Ready", type: "checkbox"),
                RemoteField(id: "fldP", name: "Plugin", type: "multipleRecordLinks", linkedTableID: "tblPlugins"),
                RemoteField(id: "fldT", name: "Status", type: "singleSelect", choices: ["Draft", "Published"]),
                RemoteField(id: "fldO", name: "Notes", type: "multilineText"),
            ]),
        ])
    }

    mutating func want(_ key: String, _ fields: [String: FieldValue], in table: String = "Skills") {
        let path = String(key.split(separator: ":").last ?? "")
        desired.append(DesiredRecord(table: table, key: key, fields: fields,
                                     provenance: Provenance(repo: "core", path: path, sourceCommit: "c0ffee")))
    }

    /// A record in the state (managed values only) and, unless `remote` is nil, in the base.
    mutating func applied(_ key: String, id: String, _ values: [String: FieldValue], remote: [String: FieldValue]?,
                          in table: String = "Skills") {
        state.records[table, default: [:]][key] = ManagedRecord(id: id, values: values)
        if let remote { inBase(id: id, key: key, remote, in: table) }
    }

    mutating func inBase(id: String, key: String?, _ fields: [String: FieldValue], in table: String = "Skills") {
        var all = fields
        if let key { all["Key"] = .text(key) }
        remote.records[table, default: []].append(RemoteRecord(id: id, fields: all))
    }

    func plan(scope: PlanScope = .all) throws -> Plan {
        try Planner.plan(PlanInput(manifest: manifest, desired: desired, state: state, remote: remote, scope: scope,
                                   repoCommits: ["core": "c0ffee"]))
    }
}

extension Plan {
    func change(_ key: String) -> RecordChange? { recordChanges.first { $0.key == key } }
}

extension RecordChange {
    func field(_ name: String) -> FieldChange? { fields.first { $0.name == name } }
}
