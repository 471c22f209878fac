import CSQLite
import Foundation
import ReconCore
import Remote

/// The `sqlite` provider: a SQLite database file is the base. One SQL table per manifest table,
/// one column per field (named exactly as in the manifest) plus `_recon_id`, and metadata tables
/// for what columns cannot say. The file is created by the first write, never by a read.
public final class SQLiteBase: BaseProvider, KeyedRefreshing {
    public let path: String
    public let limits: ProviderLimits

    /// Rows per batch: one transaction each. A batch costs four fsyncs (base, state journal, intent, outcomes)
    /// whatever its size, so a local base takes large ones; a kill still loses at most the batch in flight.
    public static let defaultMaxRecordsPerBatch = 10_000

    private var connection: SQLiteConnection?
    private var prepared = false
    /// The schema as last loaded or written; record calls look tables up here by id.
    private var catalog: RemoteSchema?

    /// How long a write waits for another process's lock before failing with "locked".
    public static let defaultBusyTimeoutMilliseconds = 5_000

    private let busyTimeoutMilliseconds: Int

    public init(path: String, maxRecordsPerBatch: Int = SQLiteBase.defaultMaxRecordsPerBatch,
                busyTimeoutMilliseconds: Int = SQLiteBase.defaultBusyTimeoutMilliseconds) {
        self.path = path
        self.limits = ProviderLimits(maxRecordsPerBatch: maxRecordsPerBatch)
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }

    // MARK: SchemaInspecting, RecordReading

    public func inspectSchema() throws -> RemoteSchema {
        guard let connection = try open(forWriting: false) else { return RemoteSchema(tables: []) }
        let schema = try SQLiteCatalog.load(connection)
        catalog = schema
        return schema
    }

    public func readRecords(in table: RemoteTable) throws -> [RemoteRecord] {
        guard let connection = try open(forWriting: false) else { return [] }
        let current = try resolve(table)
        return try SQLiteInspector(connection: connection, schema: catalog!).records(of: current)
    }

    public func readRecords(in table: RemoteTable, sharing: (inout RemoteRecord) -> Void) throws -> [RemoteRecord] {
        guard let connection = try open(forWriting: false) else { return [] }
        let current = try resolve(table)
        return try SQLiteInspector(connection: connection, schema: catalog!).records(of: current, sharing: sharing)
    }

    public func readRecords(keys: [String], field: String, orIDs ids: [String], in table: RemoteTable) throws -> [RemoteRecord] {
        guard !keys.isEmpty || !ids.isEmpty, let connection = try open(forWriting: false) else { return [] }
        let current = try resolve(table)
        return try SQLiteInspector(connection: connection, schema: catalog!).records(of: current, keys: (field, keys, ids))
    }

    public func readRecords(keys: [String], field: String, in table: RemoteTable) throws -> [RemoteRecord] {
        guard !keys.isEmpty, let connection = try open(forWriting: false) else { return [] }
        return try recordWriter(connection, table).records(keys: keys, keyField: field)
    }

    /// Each cell by its storage class (as undeclared columns are read), a BLOB as a one-item list of its hex so it
    /// never passes for a text key; ids are `rowid N`.
    public func readForeignRecords(_ table: ForeignTable) throws -> [RemoteRecord] {
        guard let connection = try open(forWriting: false), !table.columns.isEmpty else { return [] }
        let columns = table.columns.map { SQLIdentifier.quote($0) }.joined(separator: ", ")
        let statement = try connection.prepare("SELECT _rowid_, \(columns) FROM \(SQLIdentifier.quote(table.name)) ORDER BY _rowid_")
        defer { statement.reset() }
        var records: [RemoteRecord] = []
        while try statement.step() {
            var fields = FieldCells.Builder(capacity: table.columns.count)
            for (index, name) in table.columns.enumerated() {
                let column = Int32(index + 1)
                if statement.type(column) == SQLITE_BLOB {
                    fields.append(name, .list([(statement.bytes(column) ?? []).map { String(format: "%02x", $0) }.joined()]))
                } else if let value = ColumnKind.untyped.read(statement, column: column) {
                    fields.append(name, value)
                }
            }
            records.append(RemoteRecord(id: "rowid \(statement.int(0))", fields: fields.cells()))
        }
        return records
    }

    // MARK: SchemaWriting

    public func adoptTable(_ definition: TableDefinition) throws -> RemoteTable {
        let connection = try open(forWriting: true)!
        let adopted = try schemaWriter(connection).adoptTable(definition)
        catalog = try SQLiteCatalog.load(connection)
        return adopted
    }

    public func createTable(_ definition: TableDefinition) throws -> RemoteTable {
        let connection = try open(forWriting: true)!
        let created = try schemaWriter(connection).createTable(definition)
        catalog = try SQLiteCatalog.load(connection)
        return created
    }

    public func createField(_ definition: FieldDefinition, in table: RemoteTable) throws -> RemoteField {
        let connection = try open(forWriting: true)!
        let current = try resolve(table)
        let created = try schemaWriter(connection).createField(definition, in: current)
        catalog = try SQLiteCatalog.load(connection)
        return created
    }

    public func updateTable(_ table: RemoteTable, description: String?) throws {
        let connection = try open(forWriting: true)!
        try schemaWriter(connection).updateTable(try resolve(table), description: description)
        catalog = try SQLiteCatalog.load(connection)
    }

    public func updateTable(_ table: RemoteTable, name: String) throws {
        let connection = try open(forWriting: true)!
        try schemaWriter(connection).renameTable(try resolve(table), to: name)
        catalog = try SQLiteCatalog.load(connection)
    }

    public func updateField(_ field: RemoteField, in table: RemoteTable, description: String?) throws {
        let connection = try open(forWriting: true)!
        try schemaWriter(connection).updateField(field, in: try resolve(table), description: description)
        catalog = try SQLiteCatalog.load(connection)
    }

    public func updateField(_ field: RemoteField, in table: RemoteTable, name: String?, choices: [String]?) throws {
        let connection = try open(forWriting: true)!
        try schemaWriter(connection).updateField(field, in: try resolve(table), name: name, choices: choices)
        catalog = try SQLiteCatalog.load(connection)
    }

    // MARK: RecordWriting

    public func upsert(_ records: [[String: FieldValue]], in table: RemoteTable, mergeOn keyField: String) throws -> [UpsertedRecord] {
        try upsert(cells: records.map(FieldCells.init), in: table, mergeOn: keyField)
    }

    public func upsert(cells records: [FieldCells], in table: RemoteTable, mergeOn keyField: String) throws -> [UpsertedRecord] {
        try checkBatch(records.count)
        guard !records.isEmpty else { return [] }
        let connection = try open(forWriting: true)!
        return try recordWriter(connection, table).upsert(records, mergeOn: keyField)
    }

    public func update(_ updates: [RecordUpdate], in table: RemoteTable) throws -> [RemoteRecord] {
        try checkBatch(updates.count)
        guard !updates.isEmpty else { return [] }
        let connection = try open(forWriting: true)!
        return try recordWriter(connection, table).update(updates)
    }

    public func delete(_ ids: [String], in table: RemoteTable) throws {
        try checkBatch(ids.count)
        guard !ids.isEmpty else { return }
        let connection = try open(forWriting: true)!
        try recordWriter(connection, table).delete(ids)
    }

    // MARK: Internals

    /// Runs of each cached statement of the open connection (see `SQLiteConnection.statementRuns`).
    func statementRuns() -> [String: Int] { connection?.statementRuns() ?? [:] }

    /// The nonce of the last of Recon's write transactions made through this base (`SQLiteChangeLog.beginWrite`).
    var lastWriteNonce: String? { connection?.lastWriteNonce }

    func openForReading() throws -> SQLiteConnection? { try open(forWriting: false) }
    func openForWriting() throws -> SQLiteConnection { try open(forWriting: true)! }

    /// The open connection; nil for a read when the file does not exist yet.
    private func open(forWriting: Bool) throws -> SQLiteConnection? {
        if connection == nil {
            let exists = FileManager.default.fileExists(atPath: path)
            guard exists || forWriting else { return nil }
            connection = try SQLiteConnection(path: path, create: !exists, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        }
        if forWriting && !prepared {
            try SQLiteCatalog.prepare(connection!)
            prepared = true
        }
        return connection
    }

    /// The table as the base describes it now, found by id: callers may hold an older copy.
    private func resolve(_ table: RemoteTable) throws -> RemoteTable {
        if catalog == nil, let connection { catalog = try SQLiteCatalog.load(connection) }
        if let current = catalog?.table(id: table.id) { return current }
        if let connection { catalog = try SQLiteCatalog.load(connection) }
        guard let current = catalog?.table(id: table.id) else {
            throw ReconError("table '\(table.name)' (\(table.id)) does not exist in the SQLite base '\(path)'",
                             hint: "run 'recon plan' again: the base changed since it was read")
        }
        return current
    }

    private func schemaWriter(_ connection: SQLiteConnection) throws -> SQLiteSchemaWriter {
        if catalog == nil { catalog = try SQLiteCatalog.load(connection) }
        return SQLiteSchemaWriter(connection: connection, schema: catalog!)
    }

    private func recordWriter(_ connection: SQLiteConnection, _ table: RemoteTable) throws -> SQLiteRecordWriter {
        let current = try resolve(table)
        return try SQLiteRecordWriter(connection: connection, schema: catalog!, table: current)
    }

    private func checkBatch(_ count: Int) throws {
        if count > limits.maxRecordsPerBatch {
            throw ReconError("a batch of \(count) records exceeds the SQLite provider's limit of \(limits.maxRecordsPerBatch)",
                             hint: "split writes into batches of at most limits.maxRecordsPerBatch")
        }
    }
}
