import Foundation
import Postgres
import ReconCore

/// The state of one target in PostgreSQL (see `PostgresStateSchema` for the tables), with the
/// guarantees of `StateBackend`: each batch is one transaction touching the batch's rows only.
/// Opens a connection per call; the connection string is never put in a message.
public struct PostgresStateStore: StateBackend {
    public static let defaultSchema = "recon"

    public let target: String
    let schema: PostgresStateSchema
    private let connectionString: String

    public init(connectionString: String, schema: String = PostgresStateStore.defaultSchema, target: String) throws {
        self.connectionString = connectionString
        self.schema = try PostgresStateSchema(schema: schema)
        self.target = target
    }

    /// Where this state is, for messages: never the URI.
    public var location: String { "PostgreSQL schema \(PGIdentifier.quote(schema.schema)), target '\(target)'" }

    func connect() throws -> PGConnection {
        let connection = try PGConnection(connectionString)
        try schema.create(on: connection)
        return connection
    }

    public func load(expectedTarget: String?) throws -> StateModel? {
        try refuseOtherTarget(expectedTarget)
        let connection = try connect()
        return try connection.transaction {
            try connection.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try load(on: connection)
        }
    }

    func load(on connection: PGConnection) throws -> StateModel? {
        guard let head = try head(on: connection, locking: false) else { return nil }
        var state = StateModel(lineage: head.lineage, target: target, serial: head.serial)
        let rows = try connection.exec("SELECT entry FROM \(schema.items) WHERE target = $1", [.text(target)])
        for row in rows.rows.indices {
            do {
                state.apply(try PostgresStateItem.change(from: rows.bytes(row, 0) ?? []))
            } catch {
                throw ReconError("the state in \(location) is damaged: \(StateRefusal.describe(error))",
                                 hint: "it was left untouched; restore a history version from \(schema.versions)")
            }
        }
        return state
    }

    /// A full write in one transaction: serial + 1, every row replaced, a history version kept and
    /// the history pruned. Refuses a state of another lineage (one this run did not load).
    public func write(_ state: inout StateModel, keepHistory: Int) throws {
        let connection = try connect()
        var next = state
        next.serial += 1
        let bytes = StateCodec.encode(next)
        try connection.transaction {
            try markWrite(on: connection)
            try checkOverwrite(lineage: state.lineage, on: connection)
            try connection.exec("DELETE FROM \(schema.items) WHERE target = $1", [.text(target)])
            var rows: [(PostgresStateItem, StateChange)] = []
            for (name, table) in next.tables { rows.append((.put(.putTable(name: name, table: table))!, .putTable(name: name, table: table))) }
            for (name, repo) in next.repos { rows.append((.put(.putRepo(name: name, repo: repo))!, .putRepo(name: name, repo: repo))) }
            for (table, records) in next.records {
                for (key, record) in records {
                    let change = StateChange.putRecord(table: table, key: key, record: record)
                    rows.append((.put(change)!, change))
                }
            }
            try insert(rows, lineage: next.lineage, on: connection)
            try setHead(next, on: connection)
            let stamp = StateHistory.timestamp(Date())
            try connection.exec("INSERT INTO \(schema.versions) (target, serial, created, stamp, state) VALUES ($1, $2, clock_timestamp(), $3, $4)",
                                [.text(target), .integer(next.serial), .text(stamp), .bytes(bytes)])
            _ = try prune(keepLast: keepHistory, on: connection)
        }
        state = next
    }

    public func beginJournal(for state: inout StateModel, keepHistory: Int) throws -> PostgresStateLog {
        let connection = try connect()
        if try head(on: connection, locking: false) == nil { try write(&state, keepHistory: keepHistory) }
        return PostgresStateLog(store: self, connection: connection)
    }

    public func versions() throws -> [StateVersion] {
        let connection = try connect()
        let rows = try connection.exec("SELECT serial, stamp FROM \(schema.versions) WHERE target = $1 ORDER BY created, serial",
                                       [.text(target)])
        return rows.rows.indices.map { StateVersion(serial: rows.integer($0, 0) ?? 0, timestamp: rows.text($0, 1) ?? "", location: location) }
    }

    public func loadVersion(serial: Int) throws -> StateModel? {
        let connection = try connect()
        let rows = try connection.exec("SELECT state FROM \(schema.versions) WHERE target = $1 AND serial = $2 ORDER BY created DESC LIMIT 1",
                                       [.text(target), .integer(serial)])
        guard let bytes = rows.rows.isEmpty ? nil : rows.bytes(0, 0) else { return nil }
        do {
            return try StateCodec.decode(bytes)
        } catch {
            throw ReconError("history version \(serial) in \(location) is damaged: \(StateRefusal.describe(error))")
        }
    }

    @discardableResult
    public func pruneHistory(keepLast: Int) throws -> [StateVersion] {
        let connection = try connect()
        return try connection.transaction { try prune(keepLast: keepLast, on: connection) }
    }

    // MARK: Internals (shared with PostgresStateLog)

    struct Head { var lineage: String; var serial: Int }

    /// First in every transaction that writes this target's state rows: the state version moves with it.
    func markWrite(on connection: PGConnection) throws {
        try PostgresStateMarks(schema: schema).markWrite(target: target, on: connection)
    }

    /// The head row; refuses a newer format. `locking` holds the row until the transaction ends.
    func head(on connection: PGConnection, locking: Bool) throws -> Head? {
        let rows = try connection.exec("SELECT lineage, serial, format FROM \(schema.heads) WHERE target = $1\(locking ? " FOR UPDATE" : "")",
                                       [.text(target)])
        guard !rows.rows.isEmpty else { return nil }
        let format = rows.integer(0, 2) ?? 0
        guard format <= StateModel.formatVersion else {
            throw ReconError("the state in \(location) has format version \(format), written by a newer recon (this one reads up to \(StateModel.formatVersion))",
                             hint: "upgrade recon to use this state; it was left untouched")
        }
        return Head(lineage: rows.text(0, 0) ?? "", serial: rows.integer(0, 1) ?? 0)
    }

    func setHead(_ state: StateModel, on connection: PGConnection) throws {
        try connection.exec("""
            INSERT INTO \(schema.heads) (target, lineage, serial, format) VALUES ($1, $2, $3, $4)
            ON CONFLICT (target) DO UPDATE SET lineage = excluded.lineage, serial = excluded.serial,
              format = excluded.format, updated = now()
            """, [.text(target), .text(state.lineage), .integer(state.serial), .integer(state.version)])
    }

    /// Multi-row upserts, a few hundred rows per statement.
    func insert(_ rows: [(PostgresStateItem, StateChange)], lineage: String, on connection: PGConnection) throws {
        let chunk = 500
        var start = 0
        while start < rows.count {
            let slice = rows[start..<min(start + chunk, rows.count)]
            var values: [String] = []
            var parameters: [PGValue] = []
            for (item, change) in slice {
                let base = parameters.count
                values.append("($\(base + 1), $\(base + 2), $\(base + 3), $\(base + 4), $\(base + 5))")
                parameters.append(.text(target))
                parameters.append(contentsOf: item.key)
                parameters.append(.bytes(PostgresStateItem.entry(change, lineage: lineage)))
            }
            try connection.exec("""
                INSERT INTO \(schema.items) (target, kind, scope, name, entry) VALUES \(values.joined(separator: ", "))
                ON CONFLICT (target, kind, scope, name) DO UPDATE SET entry = excluded.entry
                """, parameters)
            start += chunk
        }
    }

    private func checkOverwrite(lineage: String, on connection: PGConnection) throws {
        guard let head = try head(on: connection, locking: true), head.lineage != lineage else { return }
        throw ReconError("refusing to overwrite the state in \(location): it is not the state this run loaded (lineage \(head.lineage))",
                         hint: "it belongs to another lineage; use another schema, or remove that target's state on purpose")
    }

    private func refuseOtherTarget(_ expected: String?) throws {
        guard let expected, expected != target else { return }
        throw ReconError("the state in \(location) describes target '\(target)', but the manifests target '\(expected)'",
                         hint: "fix 'target' in the manifests or the state settings; the state was left untouched")
    }

    private func prune(keepLast: Int, on connection: PGConnection) throws -> [StateVersion] {
        let rows = try connection.exec("""
            DELETE FROM \(schema.versions) v WHERE v.target = $1 AND (v.serial, v.created) NOT IN
              (SELECT serial, created FROM \(schema.versions) WHERE target = $1 ORDER BY created DESC, serial DESC LIMIT $2)
            RETURNING serial, stamp, created
            """, [.text(target), .integer(max(keepLast, 1))])
        return rows.rows.indices
            .map { (created: rows.text($0, 2) ?? "", version: StateVersion(serial: rows.integer($0, 0) ?? 0, timestamp: rows.text($0, 1) ?? "", location: location)) }
            .sorted { ($0.created, $0.version.serial) < ($1.created, $1.version.serial) }
            .map(\.version)
    }
}
