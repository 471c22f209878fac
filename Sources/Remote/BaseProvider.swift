import ReconCore

/// Reads the base's tables and fields (refresh).
public protocol SchemaInspecting {
    /// Every table Recon can see, with its fields; an empty schema when the base does not exist yet.
    func inspectSchema() throws -> RemoteSchema
}

/// Reads records (refresh).
public protocol RecordReading {
    /// Every record of `table` (identified by its id), fields by name, empty cells omitted,
    /// link cells holding the ids of records that still exist.
    func readRecords(in table: RemoteTable) throws -> [RemoteRecord]
    /// `readRecords(in:)`, each record handed to `sharing` as it is read, so it can take the storage of a copy the
    /// caller holds already (`FieldCells.sharingStorage`): a provider that reads row by row never holds the table's
    /// read copies all at once. What `sharing` leaves must equal what it was given.
    func readRecords(in table: RemoteTable, sharing: (inout RemoteRecord) -> Void) throws -> [RemoteRecord]
    /// The records with these ids that still exist (others are left out), for apply's preflight: a small
    /// plan against a large remote table should not read the whole table again.
    func readRecords(ids: [String], in table: RemoteTable) throws -> [RemoteRecord]
    /// The records whose text field `field` holds one of `keys`, for apply's preflight: a create in a saved
    /// plan must not land on a record someone made under that key after planning.
    func readRecords(keys: [String], field: String, in table: RemoteTable) throws -> [RemoteRecord]
    /// The rows of a table Recon did not create, so the planner can tell whether it fits and adopt its records
    /// by key. Ids are the provider's row handles (SQLite: `rowid N`), not record ids: the rows have none yet.
    func readForeignRecords(_ table: ForeignTable) throws -> [RemoteRecord]
}

extension RecordReading {
    /// The whole table read, then shared record by record.
    public func readRecords(in table: RemoteTable, sharing: (inout RemoteRecord) -> Void) throws -> [RemoteRecord] {
        var records = try readRecords(in: table)
        for index in records.indices { sharing(&records[index]) }
        return records
    }

    /// Providers without foreign tables (Airtable) have no rows to read.
    public func readForeignRecords(_ table: ForeignTable) throws -> [RemoteRecord] { [] }

    /// A full read, filtered: right for providers where reading a table is cheap (SQLite).
    public func readRecords(ids: [String], in table: RemoteTable) throws -> [RemoteRecord] {
        let wanted = Set(ids)
        return try readRecords(in: table).filter { wanted.contains($0.id) }
    }

    /// A full read, filtered by key.
    public func readRecords(keys: [String], field: String, in table: RemoteTable) throws -> [RemoteRecord] {
        let wanted = Set(keys)
        return try readRecords(in: table).filter { record in
            if case .text(let key)? = record.fields[field]?.normalized { return wanted.contains(key) }
            return false
        }
    }
}

/// Creates, describes and renames tables and fields (apply, schema phase). Nothing here retypes or
/// deletes: the remote may not support it, so the plan makes those `manual`.
public protocol SchemaWriting {
    func createTable(_ definition: TableDefinition) throws -> RemoteTable
    /// Adds a field to an existing table (identified by `table.id`).
    func createField(_ definition: FieldDefinition, in table: RemoteTable) throws -> RemoteField
    func updateTable(_ table: RemoteTable, description: String?) throws
    /// Renames a table (identified by `table.id`), undoing a rename made in the base.
    func updateTable(_ table: RemoteTable, name: String) throws
    func updateField(_ field: RemoteField, in table: RemoteTable, description: String?) throws
    /// Renames a field (undoing a rename made in the base) and/or replaces its select choices
    /// (the planner only ever adds choices). Nil leaves that part as it is.
    func updateField(_ field: RemoteField, in table: RemoteTable, name: String?, choices: [String]?) throws
    /// Takes over a table Recon did not create: gives every row a record id and registers the table and the
    /// declared `fields` that are already columns, in one step. Other columns are left as they are.
    func adoptTable(_ definition: TableDefinition) throws -> RemoteTable
}

extension SchemaWriting {
    public func adoptTable(_ definition: TableDefinition) throws -> RemoteTable {
        throw ReconError("table '\(definition.name)' cannot be adopted by this provider")
    }
}

/// Writes records in batches of at most `ProviderLimits.maxRecordsPerBatch`; each call is all or
/// nothing where the remote allows it. Link fields are written as lists of record ids.
public protocol RecordWriting {
    /// Creates each record, or updates the given fields of the record whose `keyField` already holds
    /// the same value, so repeating a call (after a lost response) never makes a duplicate.
    /// Every record must carry a value for `keyField`. Results come back in input order.
    func upsert(_ records: [[String: FieldValue]], in table: RemoteTable, mergeOn keyField: String) throws -> [UpsertedRecord]
    /// The same upsert of records held as cells, apply's own form: a provider that binds from cells saves a dictionary
    /// per record (issue 12); the others take the dictionaries.
    func upsert(cells records: [FieldCells], in table: RemoteTable, mergeOn keyField: String) throws -> [UpsertedRecord]
    /// Writes the given cells of existing records; results in input order.
    func update(_ updates: [RecordUpdate], in table: RemoteTable) throws -> [RemoteRecord]
    /// Deletes records by id; ids that no longer exist are not an error.
    func delete(_ ids: [String], in table: RemoteTable) throws
}

extension RecordWriting {
    public func upsert(cells records: [FieldCells], in table: RemoteTable, mergeOn keyField: String) throws -> [UpsertedRecord] {
        try upsert(records.map(\.dictionary), in: table, mergeOn: keyField)
    }
}

/// A remote table base. The planner never sees one; refresh reads it and apply writes it.
public protocol BaseProvider: SchemaInspecting, RecordReading, SchemaWriting, RecordWriting {
    var limits: ProviderLimits { get }
}

extension BaseProvider {
    /// Refresh: the schema, and the records of each named table that exists, found by the id the state
    /// recorded for it (`ids`: table name → id), else by name. Records stay keyed by the declared name. `sharing`
    /// (table name → how its records take held storage; see `readRecords(in:sharing:)`) is for the declared tables.
    public func snapshot(tables names: some Sequence<String>, ids: [String: String] = [:],
                         sharing: (String) -> ((inout RemoteRecord) -> Void)? = { _ in nil }) throws -> RemoteSnapshot {
        let schema = try inspectSchema()
        var records: [String: [RemoteRecord]] = [:]
        for name in names {
            if let table = schema.table(id: ids[name], named: name) {
                records[name] = try sharing(name).map { try readRecords(in: table, sharing: $0) } ?? readRecords(in: table)
            } else if let foreign = schema.foreignTable(named: name), foreign.unadoptable == nil {
                records[name] = try readForeignRecords(foreign)
            }
        }
        return RemoteSnapshot(schema: schema, records: records)
    }
}
