import Manifest
import ReconCore
import Remote
import State

/// What changed in the base outside Recon since the last apply: refresh compared with the state.
public struct DriftReport: Sendable, Equatable {
    public struct RecordDrift: Sendable, Equatable {
        public enum Kind: String, Sendable { case changed, deleted }
        public var table: String
        public var key: String
        public var recordID: String
        public var kind: Kind
        /// Changed managed fields: `recorded` is what was applied, `before` what the base holds now.
        public var fields: [FieldChange]
    }

    public struct SchemaDrift: Sendable, Equatable {
        public var table: String
        public var field: String?
        public var message: String
    }

    public var target: String
    public var records: [RecordDrift]
    public var schema: [SchemaDrift]
    public var integrityErrors: [IntegrityError]
    /// Records per table that the base holds and the state does not (counted, never touched).
    public var unmanaged: [String: Int] = [:]

    public init(target: String, records: [RecordDrift] = [], schema: [SchemaDrift] = [], integrityErrors: [IntegrityError] = []) {
        self.target = target
        self.records = records
        self.schema = schema
        self.integrityErrors = integrityErrors
    }

    public var isEmpty: Bool { records.isEmpty && schema.isEmpty && integrityErrors.isEmpty }

    public var changedCount: Int { records.filter { $0.kind == .changed }.count }
    public var deletedCount: Int { records.filter { $0.kind == .deleted }.count }

    public var summaryLine: String {
        "\(changedCount) record\(changedCount == 1 ? "" : "s") changed in the base, \(deletedCount) deleted, "
            + "\(schema.count) schema change\(schema.count == 1 ? "" : "s")"
    }
}

/// Builds a drift report by planning with the state as the desired state: whatever then differs
/// changed in the base. Pure; the manifests only say which fields are managed.
public enum DriftDetector {
    public static func detect(manifest: Manifest, state: StateModel, remote: RemoteSnapshot) -> DriftReport {
        var frozen = manifest
        frozen.policy = PlanPolicy(drift: .report, conflict: .desired)
        var desired: [DesiredRecord] = []
        for table in manifest.tables {
            for (key, record) in state.records[table.name] ?? [:] {
                let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
                desired.append(DesiredRecord(table: table.name, key: key, fields: record.values,
                                             provenance: Provenance(repo: parts.first ?? "", path: parts.last ?? "", sourceCommit: "")))
            }
        }
        // With the state as desired no field differs from it on our side, so conflicts cannot arise.
        let plan = (try? Planner.plan(PlanInput(manifest: frozen, desired: desired, state: state, remote: remote)))
            ?? Plan(target: manifest.target.identifier, manifestDigest: manifest.digest, lineage: state.lineage, serial: state.serial)

        var records: [DriftReport.RecordDrift] = []
        for change in plan.recordChanges {
            switch change.action {
            case .recreate:
                let id = state.records[change.table]?[change.key]?.id ?? ""
                records.append(.init(table: change.table, key: change.key, recordID: id, kind: .deleted, fields: []))
            default:
                let fields = change.fields.filter { $0.kind == .driftReported }
                guard !fields.isEmpty, let id = change.remoteID else { continue }
                records.append(.init(table: change.table, key: change.key, recordID: id, kind: .changed, fields: fields))
            }
        }
        var report = DriftReport(target: manifest.target.identifier, records: records,
                                 schema: schemaDrift(plan.schemaChanges, state: state), integrityErrors: plan.integrityErrors)
        report.unmanaged = plan.unmanaged
        return report
    }

    /// Schema changes that undo something the state recorded as applied: deletions and renames. Type, option and
    /// choice differences are between the manifests and the base (the state records no types), so they are
    /// plan changes, shown by `plan` as manual items, not drift.
    private static func schemaDrift(_ changes: [SchemaChange], state: StateModel) -> [DriftReport.SchemaDrift] {
        changes.compactMap { change in
            switch change {
            case .createTable(let name, _, _) where state.tables[name] != nil:
                return .init(table: name, field: nil, message: "table '\(name)' was deleted in the base")
            case .createField(let table, let field) where state.tables[table]?.fields[field.name] != nil:
                return .init(table: table, field: field.name, message: "field '\(field.name)' of table '\(table)' was deleted in the base")
            case .updateTable(let update) where update.name != nil:
                return .init(table: update.table, field: nil,
                             message: "table '\(update.table)' was renamed to '\(update.name!.before)' in the base")
            case .updateField(let update) where update.name != nil && update.renamedIn == .base:
                return .init(table: update.table, field: update.field,
                             message: "field '\(update.field)' of table '\(update.table)' was renamed to '\(update.name!.before)' in the base")
            default:
                return nil
            }
        }
    }
}
