import Foundation
import ReconCore
import Remote

/// The `airtable` provider: the Airtable Web API (metadata and records) over URLSession.
/// Requests are paced per base, batches hold at most 10 records, creates are upserts on the key
/// field, and what the API cannot do is reported through `capabilities` for the planner.
public final class AirtableBase: BaseProvider {
    /// Airtable's documented most records per create, update or delete request.
    public static let maxRecordsPerBatch = 10

    public let configuration: AirtableConfiguration
    public let limits: ProviderLimits
    private let client: AirtableClient
    /// The schema as last read or written; record calls look tables up here by id.
    private var catalog: RemoteSchema?
    /// The last answer `inspectSchema` got, until this provider writes (see `recentAnswer`).
    private var lastAnswer: AirtableSchemaReader.Answer?
    /// How old an answer the change check may reuse: it follows `inspectSchema` at once, never after a long run.
    static let answerReuseWindow: TimeInterval = 5

    /// `maxRecordsPerBatch` may lower Airtable's 10 (e.g. `apply --batch-size`), never raise it.
    public init(configuration: AirtableConfiguration, limiter: AirtableRateLimiter? = nil, maxRecordsPerBatch: Int? = nil) {
        self.configuration = configuration
        let batch = max(1, min(maxRecordsPerBatch ?? Self.maxRecordsPerBatch, Self.maxRecordsPerBatch))
        limits = ProviderLimits(maxRecordsPerBatch: batch, requestsPerSecond: configuration.requestsPerSecond)
        client = AirtableClient(configuration: configuration, limiter: limiter)
    }

    /// Requests sent, 429s met and retries so far (all calls of this provider).
    public var statistics: AirtableStatistics { client.statistics }

    // MARK: SchemaInspecting, RecordReading

    public func inspectSchema() throws -> RemoteSchema {
        try translate {
            let answer = try AirtableSchemaReader(client: client).answer()
            catalog = answer.schema
            lastAnswer = answer
            return answer.schema
        }
    }

    public func readRecords(in table: RemoteTable) throws -> [RemoteRecord] {
        try translate { try AirtableRecordReader(client: client).records(of: table) }
    }

    public func readRecords(ids: [String], in table: RemoteTable) throws -> [RemoteRecord] {
        try translate { try AirtableRecordReader(client: client).records(ids: ids, of: table) }
    }

    public func readRecords(keys: [String], field: String, in table: RemoteTable) throws -> [RemoteRecord] {
        try translate { try AirtableRecordReader(client: client).records(keys: keys, field: field, of: table) }
    }

    // MARK: SchemaWriting

    public func createTable(_ definition: TableDefinition) throws -> RemoteTable {
        try translate {
            let table = try schemaWriter().createTable(definition)
            remember(table)
            return table
        }
    }

    public func createField(_ definition: FieldDefinition, in table: RemoteTable) throws -> RemoteField {
        try translate {
            let field = try schemaWriter().createField(definition, in: table)
            if var current = catalog?.table(id: table.id) ?? Optional(table) {
                current.fields.append(field)
                remember(current)
            }
            return field
        }
    }

    public func updateTable(_ table: RemoteTable, description: String?) throws {
        try translate { try schemaWriter().updateTable(table, description: description) }
    }

    public func updateTable(_ table: RemoteTable, name: String) throws {
        try translate {
            try schemaWriter().renameTable(table, to: name)
            catalog = nil
        }
    }

    public func updateField(_ field: RemoteField, in table: RemoteTable, description: String?) throws {
        try translate { try schemaWriter().updateField(field, in: table, description: description) }
    }

    /// Renames a field. Airtable's field API cannot change choices, so the planner never asks
    /// (capabilities); a request for it anyway is refused before anything is sent.
    public func updateField(_ field: RemoteField, in table: RemoteTable, name: String?, choices: [String]?) throws {
        if choices != nil {
            throw ReconError("Airtable's API cannot change the choices of field '\(field.name)' in table '\(table.name)'",
                             hint: "add the choices in the base by hand, or set 'typecast: true' on the field; then plan again")
        }
        guard let name else { return }
        try translate {
            try schemaWriter().renameField(field, in: table, to: name)
            catalog = nil
        }
    }

    // MARK: RecordWriting

    public func upsert(_ records: [[String: FieldValue]], in table: RemoteTable, mergeOn keyField: String) throws -> [UpsertedRecord] {
        try checkBatch(records.count)
        guard !records.isEmpty else { return [] }
        return try translate { try recordWriter(table).upsert(records, mergeOn: keyField) }
    }

    public func update(_ updates: [RecordUpdate], in table: RemoteTable) throws -> [RemoteRecord] {
        try checkBatch(updates.count)
        guard !updates.isEmpty else { return [] }
        return try translate { try recordWriter(table).update(updates) }
    }

    public func delete(_ ids: [String], in table: RemoteTable) throws {
        try checkBatch(ids.count)
        guard !ids.isEmpty else { return }
        try translate { try recordWriter(table).delete(ids) }
    }

    // MARK: Internals

    /// Internal failures leave as `ReconError`s, whose text was redacted when they were made.
    private func translate<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as AirtableFailure {
            throw failure.reconError
        }
    }

    private func schemaWriter() throws(AirtableFailure) -> AirtableSchemaWriter {
        lastAnswer = nil
        if catalog == nil { catalog = try AirtableSchemaReader(client: client).schema() }
        return AirtableSchemaWriter(client: client, schema: catalog!)
    }

    /// The writer for the table as the base describes it now (callers may hold an older copy
    /// without fields added since), found by id.
    private func recordWriter(_ table: RemoteTable) throws -> AirtableRecordWriter {
        lastAnswer = nil
        var current = catalog?.table(id: table.id)
        if current == nil || table.fields.contains(where: { current?.field(id: $0.id) == nil }) {
            catalog = try AirtableSchemaReader(client: client).schema()
            current = catalog?.table(id: table.id)
        }
        guard let current else {
            throw ReconError("table '\(table.name)' (\(table.id)) does not exist in Airtable base \(configuration.baseID)",
                             hint: "run 'recon plan' again: the base changed since it was read")
        }
        return AirtableRecordWriter(client: client, table: current,
                                    typecastFields: configuration.typecastFields[current.name] ?? [])
    }

    /// The schema answer a change check may fingerprint instead of asking again: taken by `inspectSchema`
    /// moments ago, with no write of this provider since (every write goes through `schemaWriter` or
    /// `recordWriter`, which drop it). Used once.
    private func recentAnswer() -> AirtableSchemaReader.Answer? {
        defer { lastAnswer = nil }
        guard let answer = lastAnswer, ProcessInfo.processInfo.systemUptime - answer.receivedAt < Self.answerReuseWindow else { return nil }
        return answer
    }

    private func remember(_ table: RemoteTable) {
        guard var schema = catalog else { return }
        schema.tables.removeAll { $0.id == table.id }
        schema.tables.append(table)
        catalog = schema
    }

    private func checkBatch(_ count: Int) throws {
        if count > limits.maxRecordsPerBatch {
            throw ReconError("a batch of \(count) records exceeds Airtable's limit of \(limits.maxRecordsPerBatch) per request",
                             hint: "split writes into batches of at most limits.maxRecordsPerBatch")
        }
    }
}

// MARK: ChangeTracking

extension AirtableBase: ChangeTracking {
    public func changeMark(tables: [RemoteTable]) throws -> ChangeMark? {
        try translate { try AirtableChangeTracker(client: client, recent: recentAnswer()).mark(tables: tables) }
    }

    public func isUnchanged(since mark: ChangeMark, tables: [RemoteTable]) throws -> Bool {
        try translate { try AirtableChangeTracker(client: client, recent: recentAnswer()).isUnchanged(since: mark, tables: tables) }
    }

    /// Airtable records no writer: its own writes and others' look alike, so it cannot tell.
    public func markAfterOwnWrites(since mark: ChangeMark, tables: [RemoteTable]) throws -> ChangeMark? { nil }

    /// Nothing to install: `LAST_MODIFIED_TIME()` and `CREATED_TIME()` work in a filter on any table.
    public func installChangeTracking(tables: [RemoteTable]) throws {}
}
