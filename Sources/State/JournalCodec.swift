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
            if !record.adopted.isEmpty {
                writer.key("adopted")
                writer.fieldValues(record.adopted)
            }
            writer.field("id", record.id)
            writer.field("key", key)
            writer.field("op", "record")
            writer.field("table", table)
            writer.key("values")
            writer.fieldValues(record.values)
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
        var cursor = JSONCursor(Array(line))
        var lineage: String?, serial: Int?
        var changes: [StateChange] = []
        try cursor.beginObject()
        while let key = try cursor.nextKey() {
            switch key {
            case "lineage": lineage = try cursor.string()
            case "serial": serial = try cursor.int()
            case "changes":
                try cursor.beginArray()
                while try cursor.nextElement() {
                    do { changes.append(try change(&cursor)) } catch { throw error.within("changes[\(changes.count)]") }
                }
            default: try cursor.skipValue()
            }
        }
        try cursor.finish()
        guard let lineage else { throw .shape(path: "lineage", expected: "a string") }
        guard let serial else { throw .shape(path: "serial", expected: "a whole number") }
        return JournalEntry(lineage: lineage, serial: serial, changes: changes)
    }

    /// Members may come in any order; which are required depends on `op`.
    private static func change(_ cursor: inout JSONCursor) throws(StateCodec.Failure) -> StateChange {
        var text: [String: String] = [:]
        var values: FieldCells = [:]
        var adopted: FieldCells = [:]
        var fields: [String: String] = [:]
        try cursor.beginObject()
        while let key = try cursor.nextKey() {
            switch key {
            case "values": values = try StateDecoderV1.values(&cursor)
            case "adopted": adopted = try StateDecoderV1.values(&cursor)
            case "fields": fields = try StateDecoderV1.fields(&cursor)
            case "op", "table", "key", "id", "repo", "commit": text[key] = try cursor.string()
            default: try cursor.skipValue()
            }
        }
        func required(_ name: String) throws(StateCodec.Failure) -> String {
            guard let value = text[name] else { throw .shape(path: name, expected: "a string") }
            return value
        }
        switch try required("op") {
        case "record":
            return .putRecord(table: try required("table"), key: try required("key"),
                              record: ManagedRecord(id: try required("id"), values: values, adopted: adopted))
        case "remove_record": return .removeRecord(table: try required("table"), key: try required("key"))
        case "table": return .putTable(name: try required("table"), table: TableState(id: try required("id"), fields: fields))
        case "remove_table": return .removeTable(name: try required("table"))
        case "repo": return .putRepo(name: try required("repo"), repo: RepoState(commit: try required("commit")))
        default: throw .shape(path: "op", expected: "record, remove_record, table, remove_table or repo")
        }
    }
}
