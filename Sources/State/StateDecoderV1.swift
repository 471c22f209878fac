import ReconCore

/// Reads the body of a version 1 state straight from bytes into the model. Keys may come in any
/// order; unknown keys are skipped, so a later version 1 writer may add optional keys.
enum StateDecoderV1 {
    /// `version` is set to the document's `version` member, so a caller may decode before knowing it.
    /// With `valuesOf`, only those records (table → keys) keep their values; the others are read for their ids.
    /// With `layout`, each table's records are listed there in file order with where their values sit
    /// (`StateFileLayout`); a table whose keys do not ascend strictly is left out of it.
    /// With `lean` (and `layout`), every record is read for its id alone, its values passed over (checked as JSON only) and
    /// left at its range, and a table whose keys do not ascend strictly, or named twice, is refused.
    static func decode(_ bytes: [UInt8], version: inout Int?, valuesOf kept: [String: Set<String>]? = nil,
                       layout: inout [String: [StateFileLayout.Carried]]?, lean: Bool = false) throws(StateCodec.Failure) -> StateModel {
        var cursor = JSONCursor(bytes)
        cursor.interner = ValueInterner()
        var lineage: String?, target: String?, serial: Int?
        var tables: [String: TableState] = [:]
        var records: [String: [String: ManagedRecord]] = [:]
        var repos: [String: RepoState] = [:]
        try cursor.beginObject()
        while let key = try cursor.nextKey() {
            switch key {
            case "lineage": lineage = try cursor.string()
            case "target": target = try cursor.string()
            case "serial": serial = try cursor.int()
            case "tables":
                try cursor.beginObject()
                while let name = try cursor.nextKey() {
                    do { tables[name] = try table(&cursor) } catch { throw error.within("tables.\(name)") }
                }
            case "records":
                try cursor.beginObject()
                while let name = try cursor.nextKey() {
                    var members: [String: ManagedRecord] = [:]
                    let keptKeys = kept.map { $0[name] ?? [] }
                    var carried: [StateFileLayout.Carried]? = layout == nil ? nil : []
                    var fieldCount = 0
                    try cursor.beginObject()
                    while let recordKey = try cursor.nextKey() {
                        let values = keptKeys?.contains(recordKey) ?? true
                        var start = cursor.offset
                        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x0A || bytes[start] == 0x0D || bytes[start] == 0x09 {
                            start += 1
                        }
                        let read: ManagedRecord
                        do {
                            read = lean ? try leanRecord(&cursor) : try record(&cursor, values: values, fieldCount: &fieldCount)
                        } catch { throw error.within("records.\(name).\(recordKey)") }
                        members[recordKey] = read
                        if carried != nil {
                            if let last = carried?.last, !(last.key < recordKey) {
                                if lean { throw .shape(path: "records.\(name).\(recordKey)", expected: "keys in ascending order, each once") }
                                carried = nil
                            } else {
                                carried?.append(StateFileLayout.Carried(key: recordKey, record: read, range: start..<cursor.offset))
                            }
                        }
                    }
                    // A table named twice is the second's, as `records` is; its records are encoded.
                    if lean, records[name] != nil { throw .shape(path: "records.\(name)", expected: "a table named once") }
                    if layout != nil { layout?[name] = records[name] == nil ? carried : nil }
                    records[name] = members
                }
            case "repos":
                try cursor.beginObject()
                while let name = try cursor.nextKey() {
                    do { repos[name] = try repo(&cursor) } catch { throw error.within("repos.\(name)") }
                }
            case "version": version = try cursor.int()
            default:
                try cursor.skipValue()
            }
        }
        try cursor.finish()
        guard let lineage else { throw .shape(path: "lineage", expected: "a string") }
        guard let target else { throw .shape(path: "target", expected: "a string") }
        guard let serial else { throw .shape(path: "serial", expected: "a whole number") }
        var state = StateModel(lineage: lineage, target: target, serial: serial)
        state.tables = tables
        state.records = records
        state.repos = repos
        return state
    }

    /// Without `values`, the record's values and adoptions are read as strictly and let go, record by record.
    static func record(_ cursor: inout JSONCursor, values keepValues: Bool = true) throws(StateCodec.Failure) -> ManagedRecord {
        var fieldCount = 0
        return try record(&cursor, values: keepValues, fieldCount: &fieldCount)
    }

    /// `fieldCount`: the previous record's, so this one's values are sized once (grown from empty, 12 values took 16
    /// slots; the state's values are the storage the desired and read copies share, issue 12).
    static func record(_ cursor: inout JSONCursor, values keepValues: Bool, fieldCount: inout Int) throws(StateCodec.Failure) -> ManagedRecord {
        var id: String?
        var values: FieldCells = [:]
        var adopted: FieldCells = [:]
        try cursor.beginObject()
        while let key = try cursor.nextKey() {
            switch key {
            case "id": id = try cursor.string()
            case "values":
                let read = try self.values(&cursor, capacity: fieldCount)
                fieldCount = read.count
                if keepValues { values = read }
            case "adopted":
                let read = try self.values(&cursor)
                if keepValues { adopted = read }
            default: try cursor.skipValue()
            }
        }
        guard let id else { throw .shape(path: "id", expected: "a string") }
        return ManagedRecord(id: id, values: values, adopted: adopted)
    }

    /// A record's id alone: its values and adoptions are passed over, decoded from its range when a run needs them.
    static func leanRecord(_ cursor: inout JSONCursor) throws(StateCodec.Failure) -> ManagedRecord {
        var id: String?
        try cursor.beginObject()
        while let key = try cursor.nextKey() {
            if key == "id" { id = try cursor.string() } else { try cursor.skipValue() }
        }
        guard let id else { throw .shape(path: "id", expected: "a string") }
        return ManagedRecord(id: id, values: FieldCells())
    }

    /// Null cells read as absent: absent, empty, false and null are one value.
    static func values(_ cursor: inout JSONCursor, capacity: Int = 0) throws(StateCodec.Failure) -> FieldCells {
        var values = FieldCells.Builder(capacity: capacity)
        try cursor.beginObject()
        while let name = try cursor.nextKey() {
            if let value = try cursor.fieldValue() { values.append(name, value) }
        }
        return values.cells()
    }

    static func table(_ cursor: inout JSONCursor) throws(StateCodec.Failure) -> TableState {
        var id: String?
        var fields: [String: String] = [:]
        try cursor.beginObject()
        while let key = try cursor.nextKey() {
            switch key {
            case "id": id = try cursor.string()
            case "fields": fields = try self.fields(&cursor)
            default: try cursor.skipValue()
            }
        }
        guard let id else { throw .shape(path: "id", expected: "a string") }
        return TableState(id: id, fields: fields)
    }

    static func fields(_ cursor: inout JSONCursor) throws(StateCodec.Failure) -> [String: String] {
        var fields: [String: String] = [:]
        try cursor.beginObject()
        while let name = try cursor.nextKey() { fields[name] = try cursor.string() }
        return fields
    }

    static func repo(_ cursor: inout JSONCursor) throws(StateCodec.Failure) -> RepoState {
        var commit: String?
        try cursor.beginObject()
        while let key = try cursor.nextKey() {
            if key == "commit" { commit = try cursor.string() } else { try cursor.skipValue() }
        }
        guard let commit else { throw .shape(path: "commit", expected: "a string") }
        return RepoState(commit: commit)
    }
}
