import Plan
import ReconCore

/// What one drift check found, as its ledger keeps it: counts per table, never the records themselves,
/// so a nightly history stays small. `exitCode` is what `recon drift` exited with (0 none, 2 drift).
public struct DriftCounts: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        /// Managed records whose fields were changed in the base.
        public var changed = 0
        /// Managed records deleted in the base.
        public var missing = 0
        /// Records in the base that the state does not hold (unmanaged).
        public var unexpected = 0

        public init(changed: Int = 0, missing: Int = 0, unexpected: Int = 0) {
            self.changed = changed
            self.missing = missing
            self.unexpected = unexpected
        }
    }

    public var tables: [String: Table]
    public var schemaChanges: Int
    public var integrityErrors: Int
    public var exitCode: Int

    public init(tables: [String: Table] = [:], schemaChanges: Int = 0, integrityErrors: Int = 0, exitCode: Int = 0) {
        self.tables = tables
        self.schemaChanges = schemaChanges
        self.integrityErrors = integrityErrors
        self.exitCode = exitCode
    }

    /// Every table of the manifests appears, with zeros when nothing drifted, so a chart has every point.
    public init(_ report: DriftReport, tables names: [String]) {
        var tables: [String: Table] = [:]
        for name in names { tables[name] = Table(unexpected: report.unmanaged[name] ?? 0) }
        for record in report.records {
            switch record.kind {
            case .changed: tables[record.table, default: Table()].changed += 1
            case .deleted: tables[record.table, default: Table()].missing += 1
            }
        }
        self.init(tables: tables, schemaChanges: report.schema.count, integrityErrors: report.integrityErrors.count,
                  exitCode: report.isEmpty ? 0 : 2)
    }

    public var changed: Int { tables.values.reduce(0) { $0 + $1.changed } }
    public var missing: Int { tables.values.reduce(0) { $0 + $1.missing } }
    public var unexpected: Int { tables.values.reduce(0) { $0 + $1.unexpected } }

    public var json: JSONValue {
        var tableValues: [String: JSONValue] = [:]
        for (name, table) in tables {
            tableValues[name] = .object(["changed": .number(Double(table.changed)), "missing": .number(Double(table.missing)),
                                         "unexpected": .number(Double(table.unexpected))])
        }
        return .object(["tables": .object(tableValues), "schema_changes": .number(Double(schemaChanges)),
                        "integrity_errors": .number(Double(integrityErrors)), "exit_code": .number(Double(exitCode))])
    }

    init?(json: JSONValue?) {
        guard let json, case .object(let members) = json else { return nil }
        var tables: [String: Table] = [:]
        if case .object(let values)? = members["tables"] {
            for (name, value) in values {
                tables[name] = Table(changed: value["changed"]?.intValue ?? 0, missing: value["missing"]?.intValue ?? 0,
                                     unexpected: value["unexpected"]?.intValue ?? 0)
            }
        }
        self.init(tables: tables, schemaChanges: members["schema_changes"]?.intValue ?? 0,
                  integrityErrors: members["integrity_errors"]?.intValue ?? 0, exitCode: members["exit_code"]?.intValue ?? 0)
    }
}
