import ReconCore

/// Reads and writes journal lines; see `JournalEntry`.
enum JournalCodec {
    static func encode(_ entry: JournalEntry) -> [UInt8] {
        var writer = JSONWriter(capacity: 128 + entry.changes.count * 256)
        writer.beginObject()
        writer.key("changes")
        writer.beginArray()
        for change in entry.changes { write(change, to: &writer) }
        writer.endArray()
        writer.field("lineage", entry.lineage)
        writer.field("serial", entry.serial)
        writer.endObject()
        var bytes = writer.finish()
        bytes.append(0x0A)
        return bytes
    }

    /// Keys in sorted order within each change object.
    private static func write(_ change: StateChange, to writer: inout JSONWriter) {
        writer.beginObject()
        switch change {
        case .putRecord(let table, let key, let record):
            writer.field("id", record.id)
            writer.field("key", key)
            writer.field("op", "record")
            writer.field("table", table)
            writer.key("values")
            StateCodec.writeValues(record.values, to: &writer)
        case .removeRecord(let table, let key):
            writer.field("key", key)
            writer.field("op", "remove_record")
            writer.field("table", table)
        case .putTable(let name, let table):
            writer.key("fields")
            writer.beginObject()
            for field in table.fields.keys.sorted() { writer.field(field, table.fields[field]!) }
            writer.endObject()
            writer.field("id", table.id)
            writer.field("op", "table")
            writer.field("table", name)
        case .removeTable(let name):
            writer.field("op", "remove_table")
            writer.field("table", name)
        case .putRepo(let name, let repo):
            writer.field("commit", repo.commit)
            writer.field("op", "repo")
            writer.field("repo", name)
        }
        writer.endObject()
    }

    static func decode(_ line: ArraySlice<UInt8>) throws(StateCodec.Failure) -> JournalEntry {
        guard case .object(let root) = try StateCodec.parse(Array(line)) else {
            throw .shape(path: "(line)", expected: "an object")
        }
        var changes: [StateChange] = []
        guard case .array(let items)? = root["changes"] else { throw .shape(path: "changes", expected: "a list") }
        for (index, item) in items.enumerated() {
            changes.append(try change(item, "changes[\(index)]"))
        }
        return JournalEntry(
            lineage: try StateCodec.string(root["lineage"], "lineage"),
            serial: try StateCodec.int(root["serial"], "serial"), changes: changes)
    }

    private static func change(_ value: JSONValue, _ path: String) throws(StateCodec.Failure) -> StateChange {
        let object = try StateCodec.object(value, path)
        let op = try StateCodec.string(object["op"], "\(path).op")
        switch op {
        case "record":
            let table = try StateCodec.string(object["table"], "\(path).table")
            let key = try StateCodec.string(object["key"], "\(path).key")
            return .putRecord(table: table, key: key, record: try StateCodec.managedRecord(value, path))
        case "remove_record":
            return .removeRecord(table: try StateCodec.string(object["table"], "\(path).table"),
                                 key: try StateCodec.string(object["key"], "\(path).key"))
        case "table":
            return .putTable(name: try StateCodec.string(object["table"], "\(path).table"),
                             table: try StateCodec.table(value, path))
        case "remove_table":
            return .removeTable(name: try StateCodec.string(object["table"], "\(path).table"))
        case "repo":
            return .putRepo(name: try StateCodec.string(object["repo"], "\(path).repo"),
                            repo: RepoState(commit: try StateCodec.string(object["commit"], "\(path).commit")))
        default:
            throw .shape(path: "\(path).op", expected: "record, remove_record, table, remove_table or repo")
        }
    }
}
