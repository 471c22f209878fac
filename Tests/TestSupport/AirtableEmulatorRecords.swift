import Foundation
import ReconCore

/// The records API: `/v0/{base}/{tableIdOrName}[/{recordId}]`. Writes are all or nothing: every
/// record of a request is checked before any is stored.
extension AirtableEmulator {
    static let maxRecordsPerWrite = 10
    static let maxPageSize = 100

    func records(_ request: HTTPRequest, parts: [String], base: EmulatedBase, body: JSONValue) throws(EmulatorError) -> JSONValue {
        guard let tableName = parts.first else { throw EmulatorError.notFound("route \(request.path)") }
        let table = try findTable(tableName, in: base)
        switch (request.method, parts.count) {
        case ("GET", 1): return try list(request, table: table)
        case ("GET", 2):
            guard let index = table.index(of: parts[1]) else { throw EmulatorError.notFound("record \(parts[1])") }
            return table.json(table.records[index], byFieldID: request.queryValue("returnFieldsByFieldId") == "true")
        case ("POST", 1): return try write(body, table: table, base: base, mode: .create)
        case ("PATCH", 1):
            return try write(body, table: table, base: base, mode: body["performUpsert"] == nil ? .update : .upsert)
        case ("DELETE", 1): return try delete(request.queryValues("records[]"), table: table, base: base)
        case ("DELETE", 2):
            guard table.index(of: parts[1]) != nil else { throw EmulatorError.notFound("record \(parts[1])") }
            return try delete([parts[1]], table: table, base: base)["records"]?.arrayValue?.first ?? .null
        default: throw EmulatorError.notFound("route \(request.method) \(request.path)")
        }
    }

    private func list(_ request: HTTPRequest, table: EmulatedTable) throws(EmulatorError) -> JSONValue {
        let size = Int(request.queryValue("pageSize") ?? "100") ?? 0
        guard (1...Self.maxPageSize).contains(size) else {
            throw EmulatorError(422, "INVALID_REQUEST_UNKNOWN", "pageSize must be between 1 and \(Self.maxPageSize)")
        }
        var start = 0
        if let token = request.queryValue("offset") {
            guard let saved = offsets[token], saved.table == table.id else {
                throw EmulatorError(422, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE", "The offset is no longer valid")
            }
            start = saved.index
        }
        let only = request.queryValues("fields[]")
        let byID = request.queryValue("returnFieldsByFieldId") == "true"
        let matching = try filter(table.records, in: table, formula: request.queryValue("filterByFormula"))
        let page = matching.dropFirst(start).prefix(size)
        var result: [String: JSONValue] = [
            "records": .array(page.map { table.json($0, byFieldID: byID, only: only.isEmpty ? nil : Set(only)) }),
        ]
        if start + page.count < matching.count {
            let token = EmulatorIDs.make("itr") + "/" + (matching[start + page.count].id)
            offsets[token] = (table.id, start + page.count)
            result["offset"] = .string(token)
        }
        return .object(result)
    }

    /// Only the formulas Recon sends (see `EmulatorFormula`); any other is refused.
    private func filter(_ records: [EmulatedRecord], in table: EmulatedTable, formula: String?) throws(EmulatorError) -> [EmulatedRecord] {
        guard let formula else { return records }
        guard let parsed = EmulatorFormula(formula) else {
            throw EmulatorError(422, "INVALID_FILTER_BY_FORMULA", "The formula for filtering records is invalid: \(formula)")
        }
        return records.filter { parsed.matches($0, in: table) }
    }

    enum WriteMode { case create, update, upsert }

    private func write(_ body: JSONValue, table: EmulatedTable, base: EmulatedBase, mode: WriteMode) throws(EmulatorError) -> JSONValue {
        guard let items = body["records"]?.arrayValue, !items.isEmpty else { throw .invalid("'records' must be a non-empty array") }
        guard items.count <= Self.maxRecordsPerWrite else {
            throw EmulatorError(422, "INVALID_RECORDS", "You can't provide more than \(Self.maxRecordsPerWrite) records in a request")
        }
        let typecast = body["typecast"]?.boolValue ?? false
        let byID = body["returnFieldsByFieldId"]?.boolValue ?? false
        var merge: [String] = []
        if mode == .upsert {
            let names = body["performUpsert"]?["fieldsToMergeOn"]?.arrayValue?.compactMap(\.stringValue) ?? []
            guard !names.isEmpty else { throw .invalid("performUpsert.fieldsToMergeOn must name at least one field") }
            for name in names {
                guard let field = table.field(name) else { throw EmulatorError(422, "UNKNOWN_FIELD_NAME", "Unknown field name: \"\(name)\"") }
                merge.append(field.id)
            }
        }
        // Check everything first, on copies, so a bad record leaves the table untouched.
        var fields = table.fields
        var planned: [(index: Int?, cells: [String: JSONValue?])] = []
        for item in items {
            var cells: [String: JSONValue?] = [:]
            for (key, value) in item["fields"]?.objectValue ?? [:] {
                guard let position = fields.firstIndex(where: { $0.id == key }) ?? fields.firstIndex(where: { $0.name == key }) else {
                    throw EmulatorError(422, "UNKNOWN_FIELD_NAME", "Unknown field name: \"\(key)\"")
                }
                // updateValue keeps a nil (clear this cell) that subscript assignment would drop.
                cells.updateValue(try EmulatorRules.cell(value, field: &fields[position], base: base, typecast: typecast),
                                  forKey: fields[position].id)
            }
            var target: Int?
            if let id = item["id"]?.stringValue {
                guard mode != .create, let index = table.index(of: id) else {
                    throw EmulatorError(422, "ROW_DOES_NOT_EXIST", "Record ID \(id) does not exist in this table")
                }
                target = index
            } else if mode == .update {
                throw .invalid("Every record to update needs an id")
            } else if mode == .upsert {
                let matches = table.records.indices.filter { index in
                    merge.allSatisfy { (cells[$0] ?? nil) == table.records[index].cells[$0] }
                }
                guard matches.count <= 1 else {
                    throw EmulatorError(422, "INVALID_RECORDS", "More than one record matches the fields to merge on")
                }
                target = matches.first
            }
            planned.append((target, cells))
        }
        table.fields = fields
        var written: [JSONValue] = []
        var created: [JSONValue] = []
        var updated: [JSONValue] = []
        for (target, cells) in planned {
            let index: Int
            if let target {
                index = target
                updated.append(.string(table.records[index].id))
            } else {
                let stamp = EmulatorRules.outputFormatter.string(from: now)
                table.records.append(EmulatedRecord(id: EmulatorIDs.make("rec"), createdTime: stamp, cells: [:]))
                index = table.records.count - 1
                created.append(.string(table.records[index].id))
            }
            for (id, value) in cells { table.records[index].cells[id] = value == .null ? JSONValue?.none : value }
            if target != nil, !cells.isEmpty { table.records[index].modifiedTime = now }
            written.append(table.json(table.records[index], byFieldID: byID))
        }
        var result: [String: JSONValue] = ["records": .array(written)]
        if mode == .upsert {
            result["createdRecords"] = .array(created)
            result["updatedRecords"] = .array(updated)
        }
        return .object(result)
    }

    private func delete(_ ids: [String], table: EmulatedTable, base: EmulatedBase) throws(EmulatorError) -> JSONValue {
        guard !ids.isEmpty else { throw .invalid("Name the records to delete with records[]") }
        guard ids.count <= Self.maxRecordsPerWrite else {
            throw EmulatorError(422, "INVALID_RECORDS", "You can't delete more than \(Self.maxRecordsPerWrite) records in a request")
        }
        for id in ids where table.index(of: id) == nil {
            throw EmulatorError(404, "ROW_DOES_NOT_EXIST", "Record ID \(id) does not exist in this table")
        }
        let gone = Set(ids)
        table.records.removeAll { gone.contains($0.id) }
        unlink(gone, in: base)
        return ["records": .array(ids.map { ["id": .string($0), "deleted": true] })]
    }

    /// Airtable removes a deleted record from every link cell that pointed at it.
    func unlink(_ gone: Set<String>, in base: EmulatedBase) {
        for other in base.tables {
            let links = other.fields.filter { $0.type == "multipleRecordLinks" }.map(\.id)
            guard !links.isEmpty else { continue }
            for index in other.records.indices {
                for link in links {
                    guard let ids = other.records[index].cells[link]?.arrayValue else { continue }
                    let kept = ids.filter { !gone.contains($0.stringValue ?? "") }
                    if kept.count != ids.count { other.records[index].cells[link] = kept.isEmpty ? JSONValue?.none : .array(kept) }
                }
            }
        }
    }
}
