import Manifest
import ReconCore
import Remote
import State

/// Plans the changes that bring the base in line with the manifests. A pure function of its input.
public enum Planner {
    public static func plan(_ input: PlanInput) throws(PlanningError) -> Plan {
        let manifest = input.manifest
        let schema = SchemaPlanner(manifest: manifest, remote: input.remote.schema, state: input.state, scope: input.scope,
                                   foreignRows: input.remote.records).plan()
        let keysByRecordID = recordKeys(input, tables: schema.tables)

        // Counted first, so each table's dictionary is sized once instead of growing through 100,000 inserts.
        // The records are read in place: a copy of each (retaining every string) was a few percent of a cold plan.
        let repos = input.scope.repos
        var counts: [String: Int] = [:]
        var positions: [String: [String: Int]] = [:]
        input.desired.withUnsafeBufferPointer { desired in
            let planned = desired.indices.filter { repos.isEmpty || repos.contains(desired[$0].provenance.repo) }
            for index in planned { counts[desired[index].table, default: 0] += 1 }
            for index in planned {
                positions[desired[index].table, default: [String: Int](minimumCapacity: counts[desired[index].table]!)][desired[index].key] = index
            }
        }

        var plan = Plan(target: manifest.target.identifier, manifestDigest: manifest.digest, lineage: input.state.lineage,
                        serial: input.state.serial, schemaChanges: schema.changes,
                        repoCommits: input.repoCommits.filter { input.scope.repos.isEmpty || input.scope.repos.contains($0.key) })
        plan.scope = input.scope
        var conflicts: [RecordChange] = []
        // Each table's changes, joined once their count is known: appended table by table, the plan's list grew by
        // doubling, old and new buffers beside the last table's (34 MB of a 100,000-create plan's peak, issue 12).
        var changes: [[RecordChange]] = []
        for spec in manifest.tables where schema.tables[spec.name] != nil {
            let protected = manifest.protectedFields(of: spec.name)
            plan.managedFields[spec.name] = spec.fields.map(\.name).filter { $0 != spec.key.value && !protected.contains($0) }
            plan.fieldOrder[spec.name] = spec.fields.map(\.name)
        }
        for spec in manifest.tables {
            guard let resolved = schema.tables[spec.name] else { continue }
            let planner = RecordPlanner(table: resolved, protected: manifest.protectedFields(of: spec.name),
                                        policy: manifest.policy, scope: input.scope, keysByRecordID: keysByRecordID)
            let result = planner.plan(desired: DesiredTable(records: input.desired, positions: positions[spec.name] ?? [:]),
                                      state: input.state.records[spec.name] ?? [:],
                                      remote: resolved.remote == nil && !resolved.adopting ? [] : input.remote.records[spec.name] ?? [],
                                      only: input.delta.map { $0.keys[spec.name] ?? [] })
            changes.append(result.changes)
            plan.protectedSkips += result.skips
            plan.integrityErrors += result.integrity
            plan.preconditions += result.fingerprints
            let unmanaged = input.delta.map { $0.unmanaged[spec.name] ?? 0 } ?? result.unmanaged
            if unmanaged > 0 { plan.unmanaged[spec.name] = unmanaged }
            conflicts += result.conflicts
        }
        if changes.count(where: { !$0.isEmpty }) <= 1 {
            plan.recordChanges = changes.first(where: { !$0.isEmpty }) ?? []
        } else {
            plan.recordChanges.reserveCapacity(changes.reduce(0) { $0 + $1.count })
            for index in changes.indices {
                plan.recordChanges += changes[index]
                changes[index] = []
            }
        }
        if input.scope.isAll {
            // Records of tables no longer declared are no longer managed: the state forgets them.
            for table in input.state.records.keys.sorted() where manifest.table(named: table) == nil {
                for (key, record) in input.state.records[table]!.sorted(by: { $0.key < $1.key }) {
                    plan.recordChanges.append(RecordChange(table: table, key: key, remoteID: record.id, action: .forget,
                                                           reason: .noLongerDesired, fields: []))
                }
            }
        }
        if !conflicts.isEmpty { throw PlanningError(conflicts: conflicts) }
        return PlanChecks.recorded(plan, manifest: manifest, state: input.state, desired: input.desired)
    }

    /// Record id → entity key, from the base's key fields and the state, so links compare as keys.
    private static func recordKeys(_ input: PlanInput, tables: [String: ResolvedTable]) -> [String: String] {
        var keys: [String: String] = [:]
        // The base's ids are mostly the state's: sized for the larger, instead of grown through 100,000 inserts.
        keys.reserveCapacity(max(input.state.recordCount, input.remote.records.values.reduce(0) { $0 + $1.count }))
        for records in input.state.records.values {
            for (key, record) in records { keys[record.id] = key }
        }
        // A delta plan's unread base records: unmanaged, so never an id the state holds.
        for (id, key) in input.delta?.recordKeys ?? [:] { keys[id] = key }
        for (name, resolved) in tables where resolved.remote != nil {
            let keyName = resolved.remoteNames[resolved.spec.key.value] ?? resolved.spec.key.value
            for record in input.remote.records[name] ?? [] {
                if case .text(let key)? = record.fields[keyName] { keys[record.id] = key }
            }
        }
        return keys
    }
}

/// The plan cannot be made: conflicts under `policy.conflict: fail`.
public struct PlanningError: Error, CustomStringConvertible, Sendable {
    public var conflicts: [RecordChange]

    public var description: String {
        var lines = ["\(conflicts.count) record\(conflicts.count == 1 ? " has" : "s have") conflicts and policy.conflict is 'fail':"]
        for change in conflicts {
            for field in change.fields where field.kind == .conflict {
                lines.append("  \(change.table) \(change.key) \(field.name): applied \(PlanValueText.describe(field.recorded)), "
                    + "base \(PlanValueText.describe(field.before)), manifests \(PlanValueText.describe(field.after))")
            }
        }
        lines.append("Resolve each in the base or the manifests, or set policy.conflict: desired to let the manifests win; then plan again.")
        return lines.joined(separator: "\n")
    }
}
