import ReconCore

/// Builds a `Plan` from the body of a plan file whose digest was already checked (so it is JSON, keys unique).
/// `record_changes` is read with a cursor, change by change; the other members are small and read as trees.
enum PlanDecoder {
    /// The body whose value starts at `start` in `bytes`.
    static func plan(_ bytes: [UInt8], at start: Int) throws(ReconError) -> Plan {
        var cursor = JSONCursor(bytes, at: start)
        var members: [String: JSONValue] = [:]
        var changes: [RecordChange] = []
        var reads: [RecordChangeReader.Read] = []
        do {
            try cursor.beginObject()
            while let key = try cursor.nextKey() {
                guard key == "record_changes" else {
                    members[key] = try cursor.value()
                    continue
                }
                if cursor.null() { continue }
                guard (try? cursor.beginArray()) != nil else { throw PlanJSON.mistyped("'record_changes'", "a list") }
                // A file as Recon writes it (keys sorted) gave the field orders first: resolve each change as it comes.
                var reader: RecordChangeReader?
                if members["field_order"] != nil, members["managed_fields"] != nil {
                    let body = JSONValue.object(members)
                    reader = RecordChangeReader(managed: try PlanJSON.stringLists(body, "managed_fields"),
                                                order: try PlanJSON.stringLists(body, "field_order"))
                }
                while try cursor.nextElement() {
                    let read = try RecordChangeReader.read(&cursor)
                    if reader != nil { changes.append(try reader!.resolve(read)) } else { reads.append(read) }
                }
            }
        } catch let failure as JSONDecodeFailure {
            throw damaged(failure)
        } catch let error as ReconError {
            throw error
        } catch {
            throw ReconError("the plan file is damaged (\(error))")
        }
        var plan = try header(.object(members))
        if !reads.isEmpty {
            var reader = RecordChangeReader(managed: plan.managedFields, order: plan.fieldOrder)
            for read in reads { changes.append(try reader.resolve(read)) }
        }
        plan.recordChanges = changes
        return plan
    }

    /// Everything but the record changes.
    private static func header(_ body: JSONValue) throws(ReconError) -> Plan {
        var plan = Plan(
            toolVersion: try string(body, "tool_version"), target: try string(body, "target"),
            manifestDigest: try string(body, "manifest_digest"), lineage: try string(body, "lineage"),
            serial: try PlanJSON.int(body, "serial") ?? 0)
        for change in try PlanJSON.array(body, "schema_changes") {
            plan.schemaChanges.append(try SchemaChangeCoding.read(change))
        }
        plan.fieldOrder = try PlanJSON.stringLists(body, "field_order")
        plan.managedFields = try PlanJSON.stringLists(body, "managed_fields")
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

    static func missing(_ key: String) -> ReconError {
        ReconError("the plan file is missing '\(key)'", hint: "make the plan again with 'recon plan -out FILE'")
    }

    /// A cursor failure in a body already known to be JSON: a value of another shape than the plan's.
    static func damaged(_ failure: JSONDecodeFailure) -> ReconError {
        let detail: String
        switch failure {
        case .syntax(let line, let column, let message): detail = "line \(line), column \(column): \(message)"
        case .shape(let path, let expected): detail = "\(path) must be \(expected)"
        case .newerVersion(let version): detail = "format \(version)"
        }
        return ReconError("the plan file is damaged (\(detail))", hint: "make the plan again with 'recon plan -out FILE'")
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
        guard let value = try PlanJSON.string(json, key) else { throw missing(key) }
        return value
    }
}
