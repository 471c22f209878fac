import ReconCore

/// Builds a `Plan` from the body of a plan file whose digest was already checked.
enum PlanDecoder {
    static func plan(_ body: JSONValue) throws(ReconError) -> Plan {
        var plan = Plan(
            toolVersion: try string(body, "tool_version"), target: try string(body, "target"),
            manifestDigest: try string(body, "manifest_digest"), lineage: try string(body, "lineage"),
            serial: body["serial"]?.intValue ?? 0)
        for change in body["schema_changes"]?.arrayValue ?? [] {
            plan.schemaChanges.append(try SchemaChangeCoding.read(change))
        }
        plan.fieldOrder = (body["field_order"]?.objectValue ?? [:]).mapValues { ($0.arrayValue ?? []).compactMap(\.stringValue) }
        plan.managedFields = (body["managed_fields"]?.objectValue ?? [:]).mapValues { ($0.arrayValue ?? []).compactMap(\.stringValue) }
        for change in body["record_changes"]?.arrayValue ?? [] {
            plan.recordChanges.append(try recordChange(change, managed: plan.managedFields, order: plan.fieldOrder))
        }
        for skip in body["protected_skips"]?.arrayValue ?? [] {
            plan.protectedSkips.append(ProtectedSkip(
                table: try string(skip, "table"), key: try string(skip, "key"), field: try string(skip, "field"),
                base: skip["base"].flatMap(FieldValue.init(json:)), desired: skip["desired"].flatMap(FieldValue.init(json:))))
        }
        for error in body["integrity_errors"]?.arrayValue ?? [] {
            plan.integrityErrors.append(IntegrityError(
                table: try string(error, "table"), key: try string(error, "key"),
                recordIDs: (error["record_ids"]?.arrayValue ?? []).compactMap(\.stringValue)))
        }
        for fingerprint in body["preconditions"]?.arrayValue ?? [] {
            plan.preconditions.append(RecordFingerprint(
                table: try string(fingerprint, "table"), recordID: try string(fingerprint, "record_id"),
                hash: try string(fingerprint, "hash")))
        }
        plan.unmanaged = (body["unmanaged"]?.objectValue ?? [:]).compactMapValues(\.intValue)
        plan.repoCommits = (body["repo_commits"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        plan.rollbackOf = body["rollback_of"]?.stringValue
        plan.rollbackConflicts = try RollbackConflictCoding.read(body["rollback_conflicts"]?.arrayValue ?? [])
        return plan
    }

    private static func recordChange(_ json: JSONValue, managed: [String: [String]], order: [String: [String]]) throws(ReconError) -> RecordChange {
        guard let action = RecordAction(rawValue: try string(json, "action")),
              let reason = ChangeReason(rawValue: try string(json, "reason"))
        else { throw ReconError("unknown action or reason in the plan", hint: "the plan was made by another version of recon") }
        var fields: [FieldChange] = []
        for field in json["fields"]?.arrayValue ?? [] {
            guard let kind = FieldChangeKind(rawValue: try string(field, "kind")) else {
                throw ReconError("unknown field change kind in the plan")
            }
            fields.append(FieldChange(
                name: try string(field, "name"), kind: kind, before: field["before"].flatMap(FieldValue.init(json:)),
                after: field["after"].flatMap(FieldValue.init(json:)), recorded: field["recorded"].flatMap(FieldValue.init(json:))))
        }
        var stateValues = json["state_values"]?.objectValue?.compactMapValues(FieldValue.init(json:))
        if let set = json["set"]?.objectValue {
            let values = set.compactMapValues(FieldValue.init(json:))
            let table = try string(json, "table")
            let position = Dictionary((order[table] ?? []).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            fields = values.keys.sorted { (position[$0] ?? .max, $0) < (position[$1] ?? .max, $1) }
                .map { FieldChange(name: $0, kind: .set, before: nil, after: values[$0]) }
            if stateValues == nil { stateValues = PlanCompaction.derivedState(values, managed: managed[table]) }
        }
        let source = json["source"].map { source in
            Provenance(repo: source["repo"]?.stringValue ?? "", path: source["path"]?.stringValue ?? "",
                       sourceCommit: source["commit"]?.stringValue ?? "")
        }
        return RecordChange(
            table: try string(json, "table"), key: try string(json, "key"), remoteID: json["remote_id"]?.stringValue,
            action: action, reason: reason, fields: fields, source: source,
            stateValues: stateValues,
            blockedBy: json["blocked_by"]?.stringValue)
    }

    static func string(_ json: JSONValue, _ key: String) throws(ReconError) -> String {
        guard let value = json[key]?.stringValue else {
            throw ReconError("the plan file is missing '\(key)'", hint: "make the plan again with 'recon plan -out FILE'")
        }
        return value
    }
}
