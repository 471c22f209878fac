import Manifest
import Plan
import ReconCore
import Remote
import State

/// Finds the records a killed run created (or adopted) without living to record them in the state: the keys of its
/// intents, held in the base by a record the state does not know (an outcome on record does not settle it: a kill
/// between a batch's outcomes and its state journal line leaves both), unless a newer interrupted run planned
/// something else for the key (a delete or forget is that run's to finish), with exactly the values the run
/// meant to write (compared as the planner compares). Those are Recon's, so they are put back under management
/// before planning: a key no longer desired is then deleted (or archived, or forgotten) by `on_delete` instead
/// of being left as an unmanaged orphan. A key still desired is left to the planner's adoption, which records it.
///
/// Only runs since the newest run that succeeded are read: that run planned with the same recovery, so it dealt
/// with what came before. Reads the runs (folders or PostgreSQL); the planner stays pure.
struct InFlightRecovery {
    var runs: any RunStore
    var manifest: Manifest

    struct Claim: Equatable {
        var runID: String
        var table: String
        var key: String
        var record: ManagedRecord
    }

    /// `state` with the claimed records added, and one note per run they came from.
    func recover(_ state: StateModel, desired: [DesiredRecord], schema: RemoteSchema,
                 records: [String: [RemoteRecord]]) -> (state: StateModel, notes: [String]) {
        let claims = claims(state, desired: desired, schema: schema, records: records)
        guard !claims.isEmpty else { return (state, []) }
        var state = state
        for claim in claims { state.records[claim.table, default: [:]][claim.key] = claim.record }
        var runs: [String] = []
        var counts: [String: Int] = [:]
        for claim in claims {
            if counts[claim.runID] == nil { runs.append(claim.runID) }
            counts[claim.runID, default: 0] += 1
        }
        let notes = runs.map { run in
            let count = counts[run]!
            return "\(count) \(count == 1 ? "record" : "records") created by interrupted run \(run) "
                + "\(count == 1 ? "is" : "are") managed again (its batch in flight reached the base before its outcomes)"
        }
        return (state, notes)
    }

    func claims(_ state: StateModel, desired: [DesiredRecord], schema: RemoteSchema,
                records: [String: [RemoteRecord]]) -> [Claim] {
        var claims: [Claim] = []
        // Sets of every desired key and state id, built only for a run that has intents to check: the usual run
        // (the newest one succeeded) never needs them, and at 100k records they cost a tenth of a second.
        var sets: (desiredKeys: [String: Set<String>], claimedIDs: Set<String>)?
        func built() -> (desiredKeys: [String: Set<String>], claimedIDs: Set<String>) {
            if let sets { return sets }
            var desiredKeys: [String: Set<String>] = [:]
            for record in desired { desiredKeys[record.table, default: []].insert(record.key) }
            return (desiredKeys, Set(state.records.values.flatMap { $0.values.map(\.id) }))
        }
        var plannedLater = Set<Pending>()
        let claiming: [RecordAction] = [.create, .recreate, .adopt]
        // Drift checks write nothing: a finished one must not hide an interrupted apply before it.
        for run in runs.listing().runs where run.record.operation != .drift {
            if run.status == .succeeded || run.status == .succeededWithWarnings { break }
            guard run.status == .interrupted,
                  let plan = try? runs.file(run.id, .plan).flatMap({ try PlanFile.decode($0) }) else { continue }
            defer {
                plannedLater.formUnion(plan.recordChanges.filter { !claiming.contains($0.action) }
                    .map { Pending(table: $0.table, key: $0.key) })
            }
            guard let pending = intentKeys(run.id), !pending.isEmpty else { continue }
            sets = built()
            for change in plan.recordChanges where claiming.contains(change.action) {
                guard pending.contains(Pending(table: change.table, key: change.key)),
                      !plannedLater.contains(Pending(table: change.table, key: change.key)),
                      sets!.desiredKeys[change.table]?.contains(change.key) != true, state.records[change.table]?[change.key] == nil,
                      let spec = manifest.table(named: change.table), let intended = change.stateValues,
                      let record = holder(of: change.key, spec: spec, state: state, schema: schema, records: records),
                      !sets!.claimedIDs.contains(record.id), matches(record, change, spec: spec, state: state, schema: schema)
                else { continue }
                sets!.claimedIDs.insert(record.id)
                claims.append(Claim(runID: run.id, table: change.table, key: change.key,
                                    record: ManagedRecord(id: record.id, values: intended, adopted: change.stateAdopted ?? [:])))
            }
        }
        return claims
    }

    private struct Pending: Hashable {
        var table: String
        var key: String
    }

    /// The keys of a run's intents; the state, not the outcomes, says which of them were recorded.
    private func intentKeys(_ runID: String) -> Set<Pending>? {
        guard let (_, intents) = try? runs.entries(runID), !intents.isEmpty else { return nil }
        return Set(intents.flatMap { intent in intent.keys.map { Pending(table: intent.table, key: $0) } })
    }

    /// The one base record holding `key`; none when no record or several do.
    private func holder(of key: String, spec: TableSpec, state: StateModel, schema: RemoteSchema,
                        records: [String: [RemoteRecord]]) -> RemoteRecord? {
        let keyName = remoteName(spec.key.value, spec: spec, state: state, schema: schema)
        let holders = (records[spec.name] ?? []).filter { $0.fields[keyName]?.normalized == .text(key) }
        return holders.count == 1 ? holders[0] : nil
    }

    /// Every managed field holds the value the run meant to record (empty where it meant none), and every field
    /// the change wrote holds what it wrote (a create's protected ones too). Link cells are left out: they hold
    /// record ids, and a link to a record created later in the run is written by the link pass, which the kill may
    /// have cut short.
    private func matches(_ record: RemoteRecord, _ change: RecordChange, spec: TableSpec, state: StateModel,
                         schema: RemoteSchema) -> Bool {
        var expected = change.stateValues ?? [:]
        let protected = manifest.protectedFields(of: spec.name)
        var compared = Set(spec.fields.map(\.name).filter { $0 != spec.key.value && !protected.contains($0) })
        for field in change.fields {
            expected[field.name] = field.after
            compared.insert(field.name)
        }
        return spec.fields.allSatisfy { field in
            !compared.contains(field.name) || field.type.linkedTable != nil || FieldComparison.equal(
                expected[field.name], record.fields[remoteName(field.name, spec: spec, state: state, schema: schema)], type: field.type)
        }
    }

    /// A declared field's name in the base: by the id the state maps it to, so a field renamed there still matches.
    private func remoteName(_ field: String, spec: TableSpec, state: StateModel, schema: RemoteSchema) -> String {
        guard let id = state.tables[spec.name]?.fields[field],
              let found = schema.table(id: state.tables[spec.name]?.id, named: spec.name)?.field(id: id) else { return field }
        return found.name
    }
}
