import ReconCore

/// Streams a plan as canonical JSON. Keys are written in sorted order by hand, which keeps
/// 100,000-record plans free of an intermediate tree; a test checks the bytes equal the canonical form.
enum PlanEncoder {
    /// `drain` is called between record changes and preconditions once `drainAt` bytes are buffered, so a caller
    /// can stream the bytes out (`JSONWriter.takeBytes`).
    /// With `runLength` changes or more twice over, every other run of that many is encoded on the other core
    /// (`AlternateRunEncoding`); the bytes are the same.
    static func write(_ plan: Plan, to w: inout JSONWriter, drainAt: Int = .max, runLength: Int = 2048,
                      drain: (inout JSONWriter) -> Void = { _ in }) {
        w.beginObject()
        w.key("field_order")
        w.value(.object(plan.fieldOrder.mapValues { .array($0.map(JSONValue.string)) }))
        CheckFindingCoding.write(plan.findings, to: &w)
        w.key("integrity_errors")
        w.beginArray()
        for error in plan.integrityErrors {
            w.beginObject()
            w.field("key", error.key)
            w.key("record_ids")
            w.value(.array(error.recordIDs.map(JSONValue.string)))
            w.field("table", error.table)
            w.endObject()
        }
        w.endArray()
        w.field("lineage", plan.lineage)
        w.key("managed_fields")
        w.value(.object(plan.managedFields.mapValues { .array($0.map(JSONValue.string)) }))
        w.field("manifest_digest", plan.manifestDigest)
        w.key("preconditions")
        w.beginArray()
        for fingerprint in plan.preconditions {
            if w.bytes.count >= drainAt { drain(&w) }
            w.beginObject()
            w.field("hash", fingerprint.hash)
            w.field("record_id", fingerprint.recordID)
            w.field("table", fingerprint.table)
            w.endObject()
        }
        w.endArray()
        w.key("protected_skips")
        w.beginArray()
        for skip in plan.protectedSkips {
            w.beginObject()
            optional("base", skip.base, &w)
            optional("desired", skip.desired, &w)
            w.field("field", skip.field)
            w.field("key", skip.key)
            w.field("table", skip.table)
            w.endObject()
        }
        w.endArray()
        w.key("record_changes")
        w.beginArray()
        // In runs of `runLength`: every other one, with enough of them, encoded on the other core and appended here.
        let changes = plan.recordChanges
        let other = changes.count / 2 >= runLength
            ? AlternateRunEncoding(changes, managed: plan.managedFields, runLength: runLength, start: w.continuation()) : nil
        var start = 0, run = 0
        while start < changes.count {
            let end = start + min(runLength, changes.count - start)
            if let other, run % 2 == 1 {
                w.append(other.take(run))
            } else {
                write(changes[start..<end], managed: plan.managedFields, to: &w)
            }
            if w.bytes.count >= drainAt { drain(&w) }
            (start, run) = (end, run + 1)
        }
        other?.finish()
        w.endArray()
        w.key("repo_commits")
        w.value(.object(plan.repoCommits.mapValues(JSONValue.string)))
        if !plan.rollbackConflicts.isEmpty { RollbackConflictCoding.write(plan.rollbackConflicts, to: &w) }
        if let run = plan.rollbackOf { w.field("rollback_of", run) }
        w.key("schema_changes")
        w.beginArray()
        for change in plan.schemaChanges { SchemaChangeCoding.write(change, to: &w) }
        w.endArray()
        if !plan.scope.isAll {
            // Only on targeted plans, so a whole plan's file is as before.
            w.key("scope")
            w.value(.object(["excludes": .array(plan.scope.excludes.map(JSONValue.string)),
                             "repos": .array(plan.scope.repos.sorted().map(JSONValue.string)),
                             "targets": .array(plan.scope.targets.map(JSONValue.string))]))
        }
        w.field("serial", plan.serial)
        write(plan.summary, to: &w)
        w.field("target", plan.target)
        w.field("tool_version", plan.toolVersion)
        w.key("unmanaged")
        w.value(.object(plan.unmanaged.mapValues { .number(Double($0)) }))
        w.endObject()
    }

    private static func write(_ summary: PlanSummary, to w: inout JSONWriter) {
        w.key("summary")
        w.value(summary.json)
    }

    /// Each change of `changes` in order: by index, each read in place, and a table's managed fields looked up once per
    /// stretch of its changes.
    static func write(_ changes: ArraySlice<RecordChange>, managed: [String: [String]], to w: inout JSONWriter) {
        var fields: (table: String, managed: [String]?)?
        for index in changes.indices {
            if fields?.table != changes[index].table {
                fields = (changes[index].table, managed[changes[index].table])
            }
            write(changes[index], managed: fields?.managed, to: &w)
        }
    }

    /// A create's fields are all `set` with no before value: written as one `set` object, and its state
    /// values left out when they are just the managed subset of it (the decoder derives them).
    static func write(_ change: RecordChange, managed: [String]?, to w: inout JSONWriter) {
        let compact = PlanCompaction.sortedSetValues(change)
        w.beginObject()
        w.field("action", change.action.rawValue)
        if let blocked = change.blockedBy { w.field("blocked_by", blocked) }
        if compact == nil {
            w.key("fields")
            w.beginArray()
            for field in change.fields {
                w.beginObject()
                optional("after", field.after, &w)
                optional("before", field.before, &w)
                w.field("kind", field.kind.rawValue)
                w.field("name", field.name)
                optional("recorded", field.recorded, &w)
                w.endObject()
            }
            w.endArray()
        }
        w.field("key", change.key)
        w.field("reason", change.reason.rawValue)
        if let id = change.remoteID { w.field("remote_id", id) }
        if let compact {
            w.key("set")
            w.beginObject()
            for (name, value) in compact {
                w.key(name)
                value.write(to: &w)
            }
            w.endObject()
        }
        if let source = change.source {
            w.key("source")
            w.beginObject()
            w.field("commit", source.sourceCommit)
            w.field("path", source.path)
            w.field("repo", source.repo)
            w.endObject()
        }
        if let adopted = change.stateAdopted {
            w.key("state_adopted")
            w.fieldValues(adopted)
        }
        if let values = change.stateValues, !(compact.map { PlanCompaction.isDerivedState(values, from: $0, managed: managed) } ?? false) {
            w.key("state_values")
            w.fieldValues(values)
        }
        w.field("table", change.table)
        w.endObject()
    }

    static func optional(_ key: String, _ value: FieldValue?, _ w: inout JSONWriter) {
        guard let value = value?.normalized else { return }
        w.key(key)
        value.write(to: &w)
    }
}
