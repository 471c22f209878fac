import ReconCore
import Remote

/// Writes records in batches of at most 10. Creates go through `PATCH` with `performUpsert` on
/// the key field, so repeating a batch whose answer was lost updates instead of duplicating.
/// Cells are sent by field id; `typecast` is set only when a written field allows it.
struct AirtableRecordWriter {
    let client: AirtableClient
    let table: RemoteTable
    /// Fields of this table declared `typecast: true`.
    let typecastFields: Set<String>

    private var path: String { "\(client.configuration.baseID)/\(table.id)" }

    func upsert(_ records: [[String: FieldValue]], mergeOn keyField: String) throws -> [UpsertedRecord] {
        guard let key = table.field(named: keyField) else {
            throw ReconError("table '\(table.name)' has no field '\(keyField)' to merge on")
        }
        for record in records where record[keyField]?.normalized == nil {
            throw ReconError("a record for table '\(table.name)' has no value for its key field '\(keyField)'",
                             hint: "every upserted record must carry its key; nothing in this batch was written")
        }
        let body = try self.body(records.map { (nil, $0.mapValues { Optional($0) }) },
                                 extra: ["performUpsert": ["fieldsToMergeOn": [.string(key.id)]]])
        // Read just before: a record the upsert then updates is one someone made under the key (its before-image kept),
        // while one that was not there is this batch's own, answered as updated only when a lost answer was retried.
        let keys = records.map { record -> String? in
            if case .text(let value)? = record[keyField]?.normalized { return value }
            return nil
        }
        var existing: [String: RemoteRecord] = [:]
        for record in try AirtableRecordReader(client: client).records(keys: keys.compactMap { $0 }, field: keyField, of: table) {
            if case .text(let value)? = record.fields[keyField]?.normalized { existing[value] = record }
        }
        let json = try client.send("PATCH", path, body: body)
        return try decode(json, expecting: records.count).enumerated().map { index, record in
            let previous = keys[index].flatMap { existing[$0] }
            return UpsertedRecord(record: record, created: previous == nil, previous: previous)
        }
    }

    func update(_ updates: [RecordUpdate]) throws -> [RemoteRecord] {
        let body = try self.body(updates.map { ($0.id, $0.fields) }, extra: [:])
        do {
            return try decode(try client.send("PATCH", path, body: body), expecting: updates.count)
        } catch let failure as AirtableFailure where Self.isMissingRecord(failure) {
            throw ReconError("a record to update no longer exists in table '\(table.name)' (\(failure.description))",
                             hint: "it was deleted since the plan was made; run 'recon plan' again")
        }
    }

    /// Ids already gone are not an error: the batch is retried one id at a time, skipping them.
    func delete(_ ids: [String]) throws {
        guard let failure = attempt("DELETE", path, query: ids.map { ("records[]", $0) }) else { return }
        guard Self.isMissingRecord(failure) else { throw failure }
        for id in ids {
            if let failure = attempt("DELETE", "\(path)/\(id)"), !Self.isMissingRecord(failure) { throw failure }
        }
    }

    // MARK: Internals

    /// Sends a request whose answer is not needed; nil on success, else the failure.
    private func attempt(_ method: String, _ path: String, query: [(String, String)] = []) -> AirtableFailure? {
        do {
            _ = try client.send(method, path, query: query)
            return nil
        } catch {
            return error
        }
    }

    static func isMissingRecord(_ failure: AirtableFailure) -> Bool {
        failure.status == 404 || failure.type == "ROW_DOES_NOT_EXIST"
    }

    /// `{"records": [{"id"?, "fields": {fieldId: value}}], "returnFieldsByFieldId": true, "typecast"?}`.
    private func body(_ records: [(id: String?, cells: [String: FieldValue?])], extra: [String: JSONValue]) throws -> JSONValue {
        var typecast = false
        var items: [JSONValue] = []
        items.reserveCapacity(records.count)
        for (id, cells) in records {
            var fields: [String: JSONValue] = [:]
            for (name, value) in cells {
                guard let field = table.field(named: name) else {
                    throw ReconError("table '\(table.name)' has no field '\(name)' in the base",
                                     hint: "run 'recon plan' again: the schema changed since it was read")
                }
                fields[field.id] = AirtableFieldCodec.json(value ?? nil, type: field.type)
                if typecastFields.contains(name) { typecast = true }
            }
            var item: [String: JSONValue] = ["fields": .object(fields)]
            if let id { item["id"] = .string(id) }
            items.append(.object(item))
        }
        var body = extra
        body["records"] = .array(items)
        body["returnFieldsByFieldId"] = true
        if typecast { body["typecast"] = true }
        return .object(body)
    }

    private func decode(_ json: JSONValue, expecting count: Int) throws -> [RemoteRecord] {
        let fields = Dictionary(uniqueKeysWithValues: table.fields.map { ($0.id, $0) })
        let records = json["records"]?.arrayValue?.compactMap { AirtableRecordReader.record($0, fields: fields) } ?? []
        guard records.count == count else {
            throw ReconError("Airtable answered a write of \(count) records with \(records.count)",
                             hint: "run 'recon plan' to see what was written")
        }
        return records
    }
}
