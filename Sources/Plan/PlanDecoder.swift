import ReconCore

/// Builds a `Plan` from the body of a plan file whose digest was already checked (so it is JSON, keys unique).
/// The lists that grow with the plan are read with a cursor element by element; the other members are small and
/// read as trees, by the decoders they always had.
enum PlanDecoder {
    /// The body whose value starts at `start` in `bytes`.
    static func plan(_ bytes: [UInt8], at start: Int) throws(ReconError) -> Plan {
        var changes: [RecordChange] = []
        var plan = try plan(bytes, at: start, cut: nil) { change throws(ReconError) in changes.append(change) }
        plan.recordChanges = changes
        return plan
    }

    /// The body, each record change handed to `add` in order and left out of the plan returned. With `cut`,
    /// `record_changes` is read only up to it (the rest is `secondHalf`'s); a list that does not reach the cut exactly
    /// is refused.
    static func plan(_ bytes: [UInt8], at start: Int, cut: RecordChangeSplit?,
                     adding add: (RecordChange) throws(ReconError) -> Void) throws(ReconError) -> Plan {
        var cursor = JSONCursor(bytes, at: start)
        cursor.interner = ValueInterner()
        var members: [String: JSONValue] = [:]
        var reads: [RecordChangeReader.Read] = []
        var preconditions: [RecordFingerprint] = [], skips: [ProtectedSkip] = []
        try reading {
            try cursor.beginObject()
            while let key = try cursor.nextKey() {
                // The lists that grow with the plan are decoded element by element, never whole as trees.
                switch key {
                case "record_changes":
                    try recordChanges(&cursor, after: members, adding: add, deferring: &reads, cut: cut)
                case "preconditions":
                    preconditions = try elements(&cursor, key) { json throws(ReconError) in
                        RecordFingerprint(table: try string(json, "table"), recordID: try string(json, "record_id"),
                                          hash: try string(json, "hash"))
                    }
                case "protected_skips":
                    skips = try elements(&cursor, key) { json throws(ReconError) in
                        ProtectedSkip(table: try string(json, "table"), key: try string(json, "key"), field: try string(json, "field"),
                                      base: try PlanJSON.fieldValue(json["base"], name: "'base'"),
                                      desired: try PlanJSON.fieldValue(json["desired"], name: "'desired'"))
                    }
                default:
                    members[key] = try cursor.value()
                }
            }
        }
        var plan = try header(.object(members))
        plan.preconditions = preconditions
        plan.protectedSkips = skips
        if !reads.isEmpty {
            var reader = RecordChangeReader(managed: plan.managedFields, order: plan.fieldOrder)
            for read in reads { try add(try reader.resolve(read)) }
        }
        return plan
    }

    /// `record_changes`, change by change. A file as Recon writes it (keys sorted) gave the field orders before
    /// (`members`), so each change is resolved as it comes; otherwise they are resolved once the body is read.
    private static func recordChanges(_ cursor: inout JSONCursor, after members: [String: JSONValue],
                                      adding add: (RecordChange) throws(ReconError) -> Void,
                                      deferring reads: inout [RecordChangeReader.Read], cut: RecordChangeSplit?) throws {
        if cursor.null() { return }
        guard (try? cursor.beginArray()) != nil else { throw PlanJSON.mistyped("'record_changes'", "a list") }
        var reader: RecordChangeReader?
        if members["field_order"] != nil, members["managed_fields"] != nil {
            let body = JSONValue.object(members)
            reader = RecordChangeReader(managed: try PlanJSON.stringLists(body, "managed_fields"),
                                        order: try PlanJSON.stringLists(body, "field_order"))
        }
        var reachedCut = cut == nil
        while try cursor.nextElement() {
            let read = try RecordChangeReader.read(&cursor)
            if reader != nil { try add(try reader!.resolve(read)) } else { reads.append(read) }
            if let cut, cursor.offset == cut.comma {
                cursor.jump(to: cut.close)
                reachedCut = true
            }
        }
        guard reachedCut else { throw cutMissed }
    }

    /// The body decoded in two halves at once (issue 12): every member and `record_changes` up to `split` on another
    /// thread, the rest of the list here, resolved as it is read with the field orders the body gives first; then the
    /// first half's records are checked against the rest for one given twice, as one reader would. Both halves fill
    /// one array of the count the layout gives (`RecordChangeSlots`), each its own range: no half is copied to join.
    static func plan(_ bytes: [UInt8], at start: Int, halvedAt split: RecordChangeSplit) throws(ReconError) -> Plan {
        var header: Plan?
        do {
            let changes = try [RecordChange](unsafeUninitializedCapacity: split.count) { buffer, initialized in
                let first = PlanBodyDecoding(bytes, at: start, cut: split, into: RecordChangeSlots(buffer, 0..<split.firstCount))
                var rest = RecordChangeSlots(buffer, split.firstCount..<split.count)
                var reader = RecordChangeReader(managed: [:], order: [:])
                var failure: ReconError?
                do throws(ReconError) {
                    try secondHalf(bytes, at: start, split, into: &rest, reader: &reader)
                    if !rest.isFull { failure = cutMissed }
                } catch {
                    failure = error
                }
                do throws(ReconError) { header = try first.plan() } catch { failure = failure ?? error }
                var filled = first.filled!
                if failure == nil, !filled.isFull { failure = cutMissed }
                if failure == nil {
                    do throws(ReconError) { try filled.forEach { change throws(ReconError) in try reader.see(change) } } catch { failure = error }
                }
                if let failure {
                    filled.clear()
                    rest.clear()
                    throw failure
                }
                initialized = split.count
            }
            header!.recordChanges = changes
            return header!
        } catch let error as ReconError {
            throw error
        } catch {
            throw cutMissed
        }
    }

    /// The elements of `record_changes` after `split.comma`, which must end at `split.close`, resolved into `slots`
    /// by a reader of the body's `field_order` and `managed_fields` (members before the list in a file as written).
    private static func secondHalf(_ bytes: [UInt8], at start: Int, _ split: RecordChangeSplit,
                                   into slots: inout RecordChangeSlots, reader: inout RecordChangeReader) throws(ReconError) {
        try reading {
            var head = JSONCursor(bytes, at: start)
            var members: [String: JSONValue] = [:]
            try head.beginObject()
            while let key = try head.nextKey(), key != "record_changes" {
                if key == "field_order" || key == "managed_fields" { members[key] = try head.value() } else { try head.skipValue() }
            }
            guard members.count == 2 else { throw cutMissed }
            let body = JSONValue.object(members)
            reader = RecordChangeReader(managed: try PlanJSON.stringLists(body, "managed_fields"), order: try PlanJSON.stringLists(body, "field_order"),
                                        expecting: split.count)
            var cursor = JSONCursor(bytes, afterElementAt: split.comma)
            cursor.interner = ValueInterner()
            while try cursor.nextElement() { try slots.append(try reader.resolve(try RecordChangeReader.read(&cursor))) }
            guard cursor.offset == split.close + 1 else { throw cutMissed }
        }
    }

    /// Runs a read of the body, a cursor failure reported as a damaged file (the document was checked to be JSON).
    private static func reading(_ read: () throws -> Void) throws(ReconError) {
        do {
            try read()
        } catch let failure as JSONDecodeFailure {
            throw damaged(failure)
        } catch let error as ReconError {
            throw error
        } catch {
            throw ReconError("the plan file is damaged (\(error))")
        }
    }

    static var cutMissed: ReconError {
        ReconError("the plan file is damaged: its record changes are not where its layout puts them",
                   hint: "make the plan again with 'recon plan -out FILE'")
    }

    /// A list member, each element read as a small tree and decoded before the next is read.
    private static func elements<T>(_ cursor: inout JSONCursor, _ key: String,
                                    _ decode: (JSONValue) throws(ReconError) -> T) throws -> [T] {
        if cursor.null() { return [] }
        guard (try? cursor.beginArray()) != nil else { throw PlanJSON.mistyped("'\(key)'", "a list") }
        var items: [T] = []
        while try cursor.nextElement() { items.append(try decode(try cursor.value())) }
        return items
    }

    /// Everything but the record changes, the preconditions and the protected skips.
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
        for error in try PlanJSON.array(body, "integrity_errors") {
            plan.integrityErrors.append(IntegrityError(
                table: try string(error, "table"), key: try string(error, "key"),
                recordIDs: try PlanJSON.strings(error, "record_ids") ?? []))
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
