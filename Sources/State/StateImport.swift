import Foundation
import ReconCore

/// What `state migrate` writes into an EMPTY destination: the state as it is (its lineage and serial kept)
/// and its history versions, oldest first, as canonical bytes with their timestamps. `discard` removes
/// everything of the target again, for a migration that failed its verification.
public protocol StateImport: StateBackend {
    func importState(_ state: StateModel, versions: [(timestamp: String, bytes: [UInt8])]) throws
    func discard() throws
}

extension StateStore: StateImport {
    public func importState(_ state: StateModel, versions: [(timestamp: String, bytes: [UInt8])]) throws {
        try PrivateFile.claimStateDirectory(AtomicFile.directoryOf(path))
        for version in versions {
            let serial = try StateCodec.decode(version.bytes).serial
            try history.save(version.bytes, serial: serial, stamp: version.timestamp)
        }
        try AtomicFile.write(StateCodec.encode(state), to: path)
    }

    public func discard() throws {
        let directory = AtomicFile.directoryOf(path)
        for file in [path, journalPath] { _ = try SafeRemoval.remove(file, inside: directory) }
        for entry in history.entries() { _ = try SafeRemoval.remove(entry.path, inside: history.directory) }
    }
}

extension PostgresStateStore: StateImport {
    /// One transaction: the head, one row per item, the versions in order.
    public func importState(_ state: StateModel, versions: [(timestamp: String, bytes: [UInt8])]) throws {
        let connection = try connect()
        try connection.transaction {
            try markWrite(on: connection)
            var rows: [(PostgresStateItem, StateChange)] = []
            for (name, table) in state.tables { rows.append((.put(.putTable(name: name, table: table))!, .putTable(name: name, table: table))) }
            for (name, repo) in state.repos { rows.append((.put(.putRepo(name: name, repo: repo))!, .putRepo(name: name, repo: repo))) }
            for (table, records) in state.records {
                for (key, record) in records {
                    let change = StateChange.putRecord(table: table, key: key, record: record)
                    rows.append((.put(change)!, change))
                }
            }
            try insert(rows, lineage: state.lineage, on: connection)
            try setHead(state, on: connection)
            for version in versions {
                let serial = try StateCodec.decode(version.bytes).serial
                try connection.exec("INSERT INTO \(schema.versions) (target, serial, created, stamp, state) VALUES ($1, $2, clock_timestamp(), $3, $4)",
                                    [.text(target), .integer(serial), .text(version.timestamp), .bytes(version.bytes)])
            }
        }
    }

    /// Removes the target's state, history, runs and lock row in one transaction.
    public func discard() throws {
        let connection = try connect()
        try connection.transaction {
            try markWrite(on: connection)
            for table in [schema.items, schema.versions, schema.heads, schema.runEntries, schema.runFiles] {
                try connection.exec("DELETE FROM \(table) WHERE target = $1", [.text(target)])
            }
            try connection.exec("DELETE FROM \(schema.runs) WHERE target = $1", [.text(target)])
        }
    }
}
