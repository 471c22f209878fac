import ReconCore

/// Builds a `Plan` from the body of a plan file whose digest was already checked.
enum PlanDecoder {
    static func plan(_ body: JSONValue) throws(ReconError) -> Plan {
        var plan = Plan(
            toolVersion: try string(body, "tool_version"), target: try string(body, "target"),
            manifestDigest: try string(body, "manifest_digest"), lineage: try string(body, "lineage"),
            serial: try PlanJSON.int(body, "serial") ?? 0)
        for change in try PlanJSON.array(body, "schema_changes") {
            plan.schemaChanges.append(try SchemaChangeCoding.read(change))
        }
        plan.fieldOrder = try PlanJSON.stringLists(body, "field_order")
        plan.managedFields = try PlanJSON.stringLists(body, "managed_fields")
        var seen: Set<[String]> = []
        for change in try PlanJSON.array(body, "record_changes") {
            plan.recordChanges.append(try recordChange(change, managed: plan.managedFields, order: plan.fieldOrder, seen: &seen))
        }
        for skip in try PlanJSON.array(body, "protected_skips") {
            plan.protectedSkips.append(ProtectedSkip(
                table: try string(skip, "table"), key: try string(skip, "key"), field: try string(skip, "field"),
                base: try PlanJSON.fieldValue(skip["base"], name: "'base'"), desired: try PlanJSON.fieldValue(skip["desired"], name: "'desired'")))
        }
        for error in try PlanJSON.array(body, "integrity_errors") {
            plan.integrityErrors.append(IntegrityError(
                table: try string(error, "table"), key: try string(error, "key"),
                recordIDs: try PlanJSON.strings(error, "record_ids") ?? []))
        }
        for fingerprint in try PlanJSON.array(body, "preconditions") {
            plan.preconditions.append(RecordFingerprint(
                table: try string(fingerprint, "table"), recordID: try string(fingerprint, "record_id"),
                hash: try string(fingerprint, "hash")))
        }
        for (table, _) in try PlanJSON.object(body, "unmanaged") ?? [:] {
            plan.unmanaged[table] = try PlanJSON.int(body["unmanaged"]!, table)
        }
        for (repo, _) in try PlanJSON.object(body, "repo_commits") ?? [:] {
            plan.repoCommits[repo] = try PlanJSON.string(body["repo_commits"]!, repo)
        }
        plan.scope = try scope(body)
        plan.findings = try CheckFindingCoding.read(body)
        plan.rollbackOf = try PlanJSON.string(body, "rollback_of")
        plan.rollbackConflicts = try RollbackConflictCoding.read(body["rollback_conflicts"]?.arrayValue ?? [])
        return plan
    }

    /// One element of `record_changes`; `seen` holds the records decoded before it, to refuse a second change for one.
    static func recordChange(_ json: JSONValue, managed: [String: [String]], order: [String: [String]],
                             seen: inout Set<[String]>) throws(ReconError) -> RecordChange {
        let decoded = try recordChange(json, managed: managed, order: order)
        // Two changes for one record would write it twice (two creates make a duplicate).
        guard seen.insert([decoded.table, decoded.key]).inserted else {
            throw ReconError("the plan file is damaged: two changes for '\(JSONParser.shown(decoded.key))' in table '\(JSONParser.shown(decoded.table))'",
                             hint: "make the plan again with 'recon plan -out FILE'")
        }
        return decoded
    }

    private static func recordChange(_ json: JSONValue, managed: [String: [String]], order: [String: [String]]) throws(ReconError) -> RecordChange {
        let actionName = try string(json, "action"), reasonName = try string(json, "reason")
        guard let action = RecordAction(rawValue: actionName) else {
            throw ReconError("unknown action '\(JSONParser.shown(actionName))' in the plan", hint: "the plan was made by another version of recon")
        }
        guard let reason = ChangeReason(rawValue: reasonName) else {
            throw ReconError("unknown reason '\(JSONParser.shown(reasonName))' in the plan", hint: "the plan was made by another version of recon")
        }
        var fields: [FieldChange] = []
        for field in try PlanJSON.array(json, "fields") {
            guard let kind = FieldChangeKind(rawValue: try string(field, "kind")) else {
                throw ReconError("unknown field change kind in the plan")
            }
            fields.append(FieldChange(
                name: try string(field, "name"), kind: kind, before: try PlanJSON.fieldValue(field["before"], name: "'before'"),
                after: try PlanJSON.fieldValue(field["after"], name: "'after'"),
                recorded: try PlanJSON.fieldValue(field["recorded"], name: "'recorded'")))
        }
        var stateValues = try PlanJSON.fieldValues(json, "state_values")
        if let values = try PlanJSON.fieldValues(json, "set") {
            let table = try string(json, "table")
            let position = Dictionary((order[table] ?? []).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            fields = values.keys.sorted { (position[$0] ?? .max, $0) < (position[$1] ?? .max, $1) }
                .map { FieldChange(name: $0, kind: .set, before: nil, after: values[$0]) }
            if stateValues == nil { stateValues = PlanCompaction.derivedState(values, managed: managed[table]) }
        }
        var source: Provenance?
        if let provenance = try PlanJSON.object(json, "source").map(JSONValue.object) {
            source = Provenance(repo: try PlanJSON.string(provenance, "repo") ?? "", path: try PlanJSON.string(provenance, "path") ?? "",
                                sourceCommit: try PlanJSON.string(provenance, "commit") ?? "")
        }
        return RecordChange(
            table: try string(json, "table"), key: try string(json, "key"), remoteID: try PlanJSON.string(json, "remote_id"),
            action: action, reason: reason, fields: fields, source: source,
            stateValues: stateValues, stateAdopted: try PlanJSON.fieldValues(json, "state_adopted"),
            blockedBy: try PlanJSON.string(json, "blocked_by"))
    }

    /// A targeted plan's `scope`: exactly `targets`, `repos` and `excludes` (absent in files made before
    /// `--exclude`), lists of names; absent on a whole plan.
    private static func scope(_ body: JSONValue) throws(ReconError) -> PlanScope {
        guard let members = try PlanJSON.object(body, "scope"), let scope = body["scope"] else { return .all }
        let targets = try PlanJSON.strings(scope, "targets") ?? [], repos = try PlanJSON.strings(scope, "repos") ?? []
        let excludes = try PlanJSON.strings(scope, "excludes") ?? []
        let unknown = members.keys.filter { !["targets", "repos", "excludes"].contains($0) }.sorted()
        let names = targets + repos + excludes
        guard unknown.isEmpty, !names.isEmpty, !names.contains(where: \.isEmpty) else {
            throw ReconError("the plan file is damaged: 'scope' must hold 'targets', 'repos' and 'excludes', lists of names, one at least",
                             hint: "make the plan again with 'recon plan -out FILE'")
        }
        return PlanScope(targets: targets, repos: repos, excludes: excludes)
    }

    static func string(_ json: JSONValue, _ key: String) throws(ReconError) -> String {
        guard let value = try PlanJSON.string(json, key) else {
            throw ReconError("the plan file is missing '\(key)'", hint: "make the plan again with 'recon plan -out FILE'")
        }
        return value
    }
}
