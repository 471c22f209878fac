import Postgres
import ReconCore
import Remote

/// Writes records, one transaction per batch and one statement per kind of write: the batch's rows travel
/// as one JSON parameter (`PostgresColumns.recordset`), so 1,000 creates are one INSERT, not 1,000.
/// A failure anywhere rolls the whole batch back.
struct PostgresRecordWriter {
    let connection: PGConnection
    let catalog: PostgresCatalog
    let schema: RemoteSchema
    let columns: PostgresColumns

    private var table: RemoteTable { columns.table }

    init(connection: PGConnection, catalog: PostgresCatalog, schema: RemoteSchema, table: RemoteTable) {
        self.connection = connection
        self.catalog = catalog
        self.schema = schema
        columns = PostgresColumns(table, catalog: catalog)
    }

    func upsert(_ records: [FieldCells], mergeOn keyField: String) throws -> [UpsertedRecord] {
        let key = try columns.require(keyField)
        guard key.kind == .text else {
            throw ReconError("cannot merge on field '\(keyField)' of table '\(table.name)': it holds \(key.field.type), not text")
        }
        var keys: [String] = []
        for record in records {
            guard case .text(let value)? = record[keyField]?.normalized else {
                throw ReconError("a record for table '\(ControlEscape.escaped(table.name))' has no value for its key field '\(ControlEscape.escaped(keyField))'",
                                 hint: "every upserted record must carry its key; nothing in this batch was written")
            }
            keys.append(value)
        }
        if let repeated = Dictionary(grouping: keys, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw ReconError("a batch for table '\(ControlEscape.escaped(table.name))' holds the key '\(ControlEscape.escaped(repeated))' twice",
                             hint: "this is a bug in the plan; nothing in this batch was written")
        }
        return try guarded {
            try catalog.writing {
                // Locked, so what is read is what is updated: the before-image rollback restores.
                let found = try connection.exec("""
                    SELECT \(columns.returning) FROM \(columns.qualified) WHERE \(key.quoted) = ANY($1::text[]) FOR UPDATE
                    """, [.text(PostgresArray.literal(keys))])
                var previous: [String: RemoteRecord] = [:]
                for row in found.rows {
                    let record = columns.record(from: row)
                    if case .text(let value)? = record.fields[keyField] { previous[value] = record }
                }
                var fresh: [(id: String, cells: FieldCells)] = []
                var existing: [(id: String, cells: [String: FieldValue?])] = []
                var ids: [String] = []
                for (index, record) in records.enumerated() {
                    let id = previous[keys[index]]?.id ?? RemoteID.record()
                    ids.append(id)
                    if previous[keys[index]] != nil {
                        existing.append((id, record.dictionary.mapValues { Optional($0) }))
                    } else {
                        fresh.append((id, record))
                    }
                }
                var stored = try insert(fresh)
                stored.merge(try write(existing)) { new, _ in new }
                return try records.indices.map { index in
                    let before = previous[keys[index]], id = ids[index]
                    guard let record = stored[id] else { throw ReconError("record \(id) of table '\(table.name)' was not written") }
                    return UpsertedRecord(record: record, created: before == nil, previous: before)
                }
            }
        }
    }

    func update(_ updates: [RecordUpdate]) throws -> [RemoteRecord] {
        try guarded {
            try catalog.writing {
                let stored = try write(updates.map { ($0.id, $0.fields) })
                return try updates.map { change in
                    guard let record = stored[change.id] else {
                        throw ReconError("record \(change.id) does not exist in table '\(ControlEscape.escaped(table.name))'",
                                         hint: "it was deleted since the plan was made; run 'recon plan' again")
                    }
                    return record
                }
            }
        }
    }

    func delete(_ ids: [String]) throws {
        _ = try guarded {
            try catalog.writing {
                try connection.exec("DELETE FROM \(columns.qualified) WHERE \(PostgresColumns.quotedID) = ANY($1::text[])",
                                    [.text(PostgresArray.literal(ids))])
            }
        }
    }

    // MARK: Internals

    /// One multi-row INSERT for the new records, over the union of their fields. Records by id.
    private func insert(_ rows: [(id: String, cells: FieldCells)]) throws -> [String: RemoteRecord] {
        guard !rows.isEmpty else { return [:] }
        let batch = try PostgresInsertRows(rows, columns: columns)
        let targets = batch.targets
        try checkLinks(targets) { batch.values(of: $0) }
        let names = ([PostgresColumns.quotedID] + targets.map(\.quoted)).joined(separator: ", ")
        let values = ([PostgresColumns.quotedID] + targets.map(\.quoted)).map { "v.\($0)" }.joined(separator: ", ")
        let result = try connection.exec("""
            INSERT INTO \(columns.qualified) (\(names)) SELECT \(values) FROM \(columns.recordset(targets)) RETURNING \(columns.returning)
            """, [.text(try batch.json(table: table.name))])
        return byID(result)
    }

    /// The given cells of existing records: one UPDATE per set of fields written (a batch usually has one).
    private func write(_ rows: [(id: String, cells: [String: FieldValue?])]) throws -> [String: RemoteRecord] {
        var stored: [String: RemoteRecord] = [:]
        let groups = Dictionary(grouping: rows) { $0.cells.keys.sorted() }
        for names in groups.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let group = groups[names]!
            let targets = try names.map(columns.require)
            let sql: String
            if targets.isEmpty {
                sql = "SELECT \(columns.returning) FROM \(columns.qualified) WHERE \(PostgresColumns.quotedID) IN (SELECT v.\(PostgresColumns.quotedID) FROM \(columns.recordset([])))"
            } else {
                try checkLinks(targets) { target in group.lazy.compactMap { $0.cells[targets[target].field.name] ?? nil } }
                let assignments = targets.map { "\($0.quoted) = v.\($0.quoted)" }.joined(separator: ", ")
                let returning = columns.returning(alias: "t")
                sql = """
                    UPDATE \(columns.qualified) AS t SET \(assignments) FROM \(columns.recordset(targets)) \
                    WHERE t.\(PostgresColumns.quotedID) = v.\(PostgresColumns.quotedID) RETURNING \(returning)
                    """
            }
            stored.merge(byID(try connection.exec(sql, [.text(try columns.rows(group, targets: targets))]))) { new, _ in new }
        }
        return stored
    }

    private func byID(_ result: PGResult) -> [String: RemoteRecord] {
        var records: [String: RemoteRecord] = [:]
        for row in result.rows {
            let record = columns.record(from: row)
            records[record.id] = record
        }
        return records
    }

    /// Links must point at records that exist, as Airtable requires: one lookup per link field per batch.
    /// `values(t)`: the rows' values for `targets[t]`.
    private func checkLinks<Values: Sequence<FieldValue>>(_ targets: [PostgresColumns.Column], values: (Int) -> Values) throws {
        for (index, target) in targets.enumerated() where target.kind == .links {
            var ids = Set<String>()
            for value in values(index) { if case .list(let items) = value { ids.formUnion(items) } }
            guard !ids.isEmpty else { continue }
            guard let linked = target.field.linkedTableID.flatMap(schema.table(id:)) else {
                throw ReconError("link field '\(ControlEscape.escaped(target.field.name))' of table '\(ControlEscape.escaped(table.name))' points at a table that no longer exists")
            }
            let found = try connection.exec("""
                SELECT \(PostgresColumns.quotedID) FROM \(catalog.table(linked.name)) WHERE \(PostgresColumns.quotedID) = ANY($1::text[])
                """, [.text(PostgresArray.literal(ids.sorted()))])
            let present = Set(found.rows.compactMap { $0[0] })
            if let missing = ids.sorted().first(where: { !present.contains($0) }) {
                throw ReconError("field '\(ControlEscape.escaped(target.field.name))' of table '\(ControlEscape.escaped(table.name))' links to \(missing), which is not a record of table '\(ControlEscape.escaped(linked.name))'",
                                 hint: "links are written as record ids of existing records; nothing in this batch was written")
            }
        }
    }

    /// A server refusal becomes an error naming the table (and, for a choice, the field); nothing was written.
    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as PGError where failure.kind == .connection {
            // Lost mid-batch, perhaps during COMMIT: whether it landed is unknown, and the next plan tells.
            throw ReconError("the connection to PostgreSQL was lost while writing to table '\(ControlEscape.escaped(table.name))': \(failure.message)",
                             hint: "run 'recon plan' again: it shows what is left (creates merge on the key, so none is duplicated)")
        } catch let failure as PGError {
            var subject = "table '\(ControlEscape.escaped(table.name))'"
            if failure.sqlState == "23514", let field = table.fields.first(where: { failure.message.contains(PostgresSchemaWriter.choiceConstraint($0.id)) }) {
                subject = "field '\(ControlEscape.escaped(field.name))' of \(subject): a value is not one of its choices (\((field.choices ?? []).joined(separator: ", ")))"
            }
            throw ReconError("PostgreSQL refused a write to \(subject): \(failure.message)",
                             hint: "nothing in this batch was written; fix the value (or the manifests) and run 'recon plan' again")
        }
    }
}
