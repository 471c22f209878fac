import Postgres
import ReconCore
import Remote

/// The `postgres` provider: a schema of a PostgreSQL database is the base. One table per manifest table,
/// one column per field with a real type (`PostgresColumnKind`) plus `_recon_id`, and Recon's metadata in
/// `<schema>_recon`. Both schemas are created by the first write, never by a read. The connection string
/// is a secret: it is only handed to libpq, and every message from there is redacted.
public final class PostgresBase: BaseProvider, ChangeTracking {
    public let schemaName: String
    public let limits: ProviderLimits

    /// Rows per batch: one transaction and one statement each, large enough that round trips do not dominate.
    public static let defaultMaxRecordsPerBatch = 10_000

    private let connectionString: String
    private var connection: PGConnection?
    private var prepared = false
    /// The schema as last loaded or written; record calls look tables up here by id.
    private var current: RemoteSchema?

    public init(connectionString: String, schema: String, maxRecordsPerBatch: Int = PostgresBase.defaultMaxRecordsPerBatch) {
        self.connectionString = connectionString
        self.schemaName = schema
        self.limits = ProviderLimits(maxRecordsPerBatch: maxRecordsPerBatch)
    }

    // MARK: SchemaInspecting, RecordReading

    public func inspectSchema() throws -> RemoteSchema {
        try load()
    }

    public func readRecords(in table: RemoteTable) throws -> [RemoteRecord] {
        try reader { try $0.records(of: try resolve(table)) }
    }

    public func readRecords(ids: [String], in table: RemoteTable) throws -> [RemoteRecord] {
        guard !ids.isEmpty else { return [] }
        return try reader { try $0.records(ids: ids, of: try resolve(table)) }
    }

    public func readRecords(keys: [String], field: String, in table: RemoteTable) throws -> [RemoteRecord] {
        guard !keys.isEmpty else { return [] }
        return try reader { try $0.records(keys: keys, field: field, of: try resolve(table)) }
    }

    public func readForeignRecords(_ table: ForeignTable) throws -> [RemoteRecord] {
        try reader { try $0.foreignRecords(table) }
    }

    // MARK: SchemaWriting

    public func createTable(_ definition: TableDefinition) throws -> RemoteTable {
        try schemaWrite { try $0.createTable(definition) }
    }

    public func adoptTable(_ definition: TableDefinition) throws -> RemoteTable {
        try schemaWrite { try $0.adoptTable(definition) }
    }

    public func createField(_ definition: FieldDefinition, in table: RemoteTable) throws -> RemoteField {
        let table = try resolve(table)
        return try schemaWrite { try $0.createField(definition, in: table) }
    }

    public func updateTable(_ table: RemoteTable, description: String?) throws {
        let table = try resolve(table)
        try schemaWrite { try $0.updateTable(table, description: description) }
    }

    public func updateTable(_ table: RemoteTable, name: String) throws {
        let table = try resolve(table)
        try schemaWrite { try $0.renameTable(table, to: name) }
    }

    public func updateField(_ field: RemoteField, in table: RemoteTable, description: String?) throws {
        let table = try resolve(table)
        try schemaWrite { try $0.updateField(field, in: table, description: description) }
    }

    public func updateField(_ field: RemoteField, in table: RemoteTable, name: String?, choices: [String]?) throws {
        let table = try resolve(table)
        try schemaWrite { try $0.updateField(field, in: table, name: name, choices: choices) }
    }

    // MARK: RecordWriting

    public func upsert(_ records: [[String: FieldValue]], in table: RemoteTable, mergeOn keyField: String) throws -> [UpsertedRecord] {
        try upsert(cells: records.map(FieldCells.init), in: table, mergeOn: keyField)
    }

    /// Bound from the cells, as SQLite's: no dictionary per record (issue 12).
    public func upsert(cells records: [FieldCells], in table: RemoteTable, mergeOn keyField: String) throws -> [UpsertedRecord] {
        try checkBatch(records.count)
        guard !records.isEmpty else { return [] }
        return try recordWriter(table).upsert(records, mergeOn: keyField)
    }

    public func update(_ updates: [RecordUpdate], in table: RemoteTable) throws -> [RemoteRecord] {
        try checkBatch(updates.count)
        guard !updates.isEmpty else { return [] }
        return try recordWriter(table).update(updates)
    }

    public func delete(_ ids: [String], in table: RemoteTable) throws {
        try checkBatch(ids.count)
        guard !ids.isEmpty else { return }
        try recordWriter(table).delete(ids)
    }

    // MARK: ChangeTracking (PostgresChangeLog)

    public func changeMark(tables: [RemoteTable]) throws -> ChangeMark? {
        let connection = try open()
        return try PostgresChangeLog(connection: connection, catalog: catalog(connection)).mark(tables: tables.map(\.name)).map { ChangeMark(token: $0) }
    }

    public func isUnchanged(since mark: ChangeMark, tables: [RemoteTable]) throws -> Bool {
        try changeMark(tables: tables)?.token == mark.token
    }

    /// Not told apart yet: no delta baseline is kept for a PostgreSQL base, the one caller (`DeltaBaselineGate`).
    public func markAfterOwnWrites(since mark: ChangeMark, tables: [RemoteTable]) throws -> ChangeMark? { nil }

    public func installChangeTracking(tables: [RemoteTable]) throws {
        guard !tables.isEmpty else { return }
        let names = try tables.map { try resolve($0).name }
        let connection = try open()
        let missing = try PostgresChangeLog(connection: connection, catalog: catalog(connection)).missing(tables: names)
        guard missing.log || missing.nonce || !missing.tables.isEmpty else { return }
        try schemaWrite { writer in
            try writer.catalog.writing { try PostgresChangeLog(connection: writer.connection, catalog: writer.catalog).install(tables: names) }
        }
    }

    // MARK: Internals

    private func catalog(_ connection: PGConnection) -> PostgresCatalog {
        PostgresCatalog(connection: connection, schema: schemaName, metadataSchema: schemaName + "_recon")
    }

    /// The open connection, in UTC with ISO dates, so values read back in one spelling whatever the server's defaults.
    private func open() throws -> PGConnection {
        if let connection { return connection }
        let opened = try PGConnection(connectionString)
        try opened.exec("SET TimeZone TO 'UTC'")
        try opened.exec("SET DateStyle TO 'ISO, YMD'")
        connection = opened
        return opened
    }

    @discardableResult
    private func load() throws -> RemoteSchema {
        let schema = try catalog(try open()).load()
        current = schema
        return schema
    }

    /// The table as the base describes it now, found by id: callers may hold an older copy.
    private func resolve(_ table: RemoteTable) throws -> RemoteTable {
        if let found = current?.table(id: table.id) { return found }
        guard let found = try load().table(id: table.id) else {
            throw ReconError("table '\(ControlEscape.escaped(table.name))' (\(table.id)) does not exist in the PostgreSQL base schema \(schemaName)",
                             hint: "run 'recon plan' again: the base changed since it was read")
        }
        return found
    }

    private func reader<T>(_ body: (PostgresRecordReader) throws -> T) throws -> T {
        let connection = try open()
        let schema = try current ?? load()
        return try body(PostgresRecordReader(connection: connection, catalog: catalog(connection), schema: schema))
    }

    private func schemaWrite<T>(_ body: (PostgresSchemaWriter) throws -> T) throws -> T {
        let connection = try open()
        let catalog = catalog(connection)
        if !prepared {
            try catalog.prepare()
            prepared = true
        }
        let schema = try current ?? load()
        defer { current = nil }
        return try body(PostgresSchemaWriter(connection: connection, catalog: catalog, schema: schema))
    }

    private func recordWriter(_ table: RemoteTable) throws -> PostgresRecordWriter {
        let connection = try open()
        let table = try resolve(table)
        return PostgresRecordWriter(connection: connection, catalog: catalog(connection), schema: current!, table: table)
    }

    private func checkBatch(_ count: Int) throws {
        if count > limits.maxRecordsPerBatch {
            throw ReconError("a batch of \(count) records exceeds the PostgreSQL provider's limit of \(limits.maxRecordsPerBatch)",
                             hint: "split writes into batches of at most limits.maxRecordsPerBatch")
        }
    }
}
