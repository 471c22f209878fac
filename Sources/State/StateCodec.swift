import ReconCore

/// The one door to the state's serialized form: canonical JSON (sorted keys, fixed number format),
/// streamed into a byte buffer. Readers dispatch on `version` before they decode the body.
public enum StateCodec {
    /// Why bytes are not a state this recon can read.
    public enum Failure: Error, Equatable {
        /// Not JSON, or cut short: where the parser stopped.
        case syntax(line: Int, column: Int, message: String)
        /// JSON of the wrong shape: the key path and what was expected there.
        case shape(path: String, expected: String)
        /// A format version this recon does not know.
        case newerVersion(Int)
    }

    // MARK: Encoding

    public static func encode(_ state: StateModel) -> [UInt8] {
        var writer = JSONWriter(pretty: true, capacity: 256 + state.recordCount * 256)
        writer.beginObject()
        writer.field("lineage", state.lineage)
        writer.key("records")
        writer.beginObject()
        for table in state.records.keys.sorted() {
            let records = state.records[table]!
            writer.key(table)
            writer.beginObject()
            for key in records.keys.sorted() {
                writer.key(key)
                writeRecord(records[key]!, to: &writer)
            }
            writer.endObject()
        }
        writer.endObject()
        writer.key("repos")
        writer.beginObject()
        for name in state.repos.keys.sorted() {
            writer.key(name)
            writer.beginObject()
            writer.field("commit", state.repos[name]!.commit)
            writer.endObject()
        }
        writer.endObject()
        writer.field("serial", state.serial)
        writer.key("tables")
        writer.beginObject()
        for name in state.tables.keys.sorted() {
            writer.key(name)
            writeTable(state.tables[name]!, to: &writer)
        }
        writer.endObject()
        writer.field("target", state.target)
        writer.field("version", state.version)
        writer.endObject()
        return writer.finish()
    }

    static func writeRecord(_ record: ManagedRecord, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", record.id)
        writer.key("values")
        writeValues(record.values, to: &writer)
        writer.endObject()
    }

    static func writeValues(_ values: [String: FieldValue], to writer: inout JSONWriter) {
        writer.beginObject()
        for name in values.keys.sorted() {
            writer.key(name)
            values[name]!.write(to: &writer)
        }
        writer.endObject()
    }

    static func writeTable(_ table: TableState, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("fields")
        writer.beginObject()
        for name in table.fields.keys.sorted() { writer.field(name, table.fields[name]!) }
        writer.endObject()
        writer.field("id", table.id)
        writer.endObject()
    }

    // MARK: Decoding

    public static func decode(_ bytes: [UInt8]) throws(Failure) -> StateModel {
        let document = try parse(bytes)
        guard case .object(let root) = document else { throw .shape(path: "(top level)", expected: "an object") }
        guard let version = root["version"]?.intValue, version >= 1 else {
            throw .shape(path: "version", expected: "a format version number")
        }
        switch version {
        case 1: return try decodeVersion1(root)
        default: throw .newerVersion(version)
        }
    }

    private static func decodeVersion1(_ root: [String: JSONValue]) throws(Failure) -> StateModel {
        var state = StateModel(
            lineage: try string(root["lineage"], "lineage"), target: try string(root["target"], "target"),
            serial: try int(root["serial"], "serial"))
        for (name, value) in try object(root["tables"], "tables") {
            state.tables[name] = try table(value, "tables.\(name)")
        }
        for (table, value) in try object(root["records"], "records") {
            var records: [String: ManagedRecord] = [:]
            let members = try object(value, "records.\(table)")
            records.reserveCapacity(members.count)
            for (key, record) in members {
                records[key] = try managedRecord(record, "records.\(table).\(key)")
            }
            state.records[table] = records
        }
        for (name, value) in try object(root["repos"], "repos") {
            let repo = try object(value, "repos.\(name)")
            state.repos[name] = RepoState(commit: try string(repo["commit"], "repos.\(name).commit"))
        }
        return state
    }

    static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw .syntax(line: error.line, column: error.column, message: error.message)
        }
    }

    static func managedRecord(_ value: JSONValue?, _ path: String) throws(Failure) -> ManagedRecord {
        let record = try object(value, path)
        var values: [String: FieldValue] = [:]
        for (name, cell) in try object(record["values"], "\(path).values") {
            guard let field = FieldValue(json: cell) else {
                throw .shape(path: "\(path).values.\(name)", expected: "text, a number, true/false or a list of text")
            }
            values[name] = field
        }
        return ManagedRecord(id: try string(record["id"], "\(path).id"), values: values)
    }

    static func table(_ value: JSONValue?, _ path: String) throws(Failure) -> TableState {
        let table = try object(value, path)
        var fields: [String: String] = [:]
        for (name, id) in try object(table["fields"], "\(path).fields") {
            fields[name] = try string(id, "\(path).fields.\(name)")
        }
        return TableState(id: try string(table["id"], "\(path).id"), fields: fields)
    }

    static func object(_ value: JSONValue?, _ path: String) throws(Failure) -> [String: JSONValue] {
        guard case .object(let members)? = value else { throw .shape(path: path, expected: "an object") }
        return members
    }

    static func string(_ value: JSONValue?, _ path: String) throws(Failure) -> String {
        guard case .string(let text)? = value else { throw .shape(path: path, expected: "a string") }
        return text
    }

    static func int(_ value: JSONValue?, _ path: String) throws(Failure) -> Int {
        guard let number = value?.intValue else { throw .shape(path: path, expected: "a whole number") }
        return number
    }
}
