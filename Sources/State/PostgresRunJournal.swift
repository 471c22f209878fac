import Foundation
import Postgres
import ReconCore

/// The writer of one run's outcome lines and ledger in PostgreSQL. Lines and ledger updates are staged and
/// go out either with the next state batch, in ITS transaction (`PostgresStateLog.companion`), so a batch's
/// state rows and outcomes commit together or not at all, or on their own with `flush` (intents, phases,
/// the end). Thread-safe.
public final class PostgresRunJournal: @unchecked Sendable {
    public let archive: PostgresRunArchive
    private let run: String
    private let lock = NSLock()
    private var connection: PGConnection?
    private var lines: [[UInt8]] = []
    private var ledger: [UInt8]?
    private var nextSeq = 1

    init(archive: PostgresRunArchive, run: String, connection: PGConnection) {
        self.archive = archive
        self.run = run
        self.connection = connection
    }

    deinit { connection?.close() }

    /// Stages lines (each without its newline) and, when given, the ledger to replace the stored one.
    public func stage(lines more: [[UInt8]] = [], ledger newLedger: [UInt8]? = nil) {
        lock.withLock {
            lines.append(contentsOf: more)
            if let newLedger { ledger = newLedger }
        }
    }

    /// Writes what is staged in a transaction of its own.
    public func flush() throws {
        try lock.withLock {
            guard let connection else { throw ReconError("the run \(run) in \(archive.store.location) is closed") }
            guard !lines.isEmpty || ledger != nil else { return }
            try connection.transaction { try writeStaged(on: connection) }
            settle()
        }
    }

    public func close() {
        lock.withLock {
            connection?.close()
            connection = nil
        }
    }

    /// Inside the state batch's transaction (`PostgresStateLog`); `committed` follows once it commits.
    /// Holds the lock until `committed` or `abandoned`, so nothing is staged between the two; a throw releases it.
    func write(on connection: PGConnection) throws {
        lock.lock()
        do {
            try writeStaged(on: connection)
        } catch {
            lock.unlock()
            throw error
        }
    }

    func committed() {
        settle()
        lock.unlock()
    }

    /// The transaction failed: what was staged stays staged.
    func abandoned() {
        lock.unlock()
    }

    private func writeStaged(on connection: PGConnection) throws {
        let schema = archive.schema
        var seq = nextSeq
        var start = 0
        while start < lines.count {
            let slice = lines[start..<min(start + 500, lines.count)]
            var values: [String] = []
            var parameters: [PGValue] = [.text(archive.target), .text(run)]
            for line in slice {
                values.append("($1, $2, $\(parameters.count + 1), $\(parameters.count + 2))")
                parameters.append(.integer(seq))
                parameters.append(.bytes(line))
                seq += 1
            }
            try connection.exec("INSERT INTO \(schema.runEntries) (target, run, seq, line) VALUES \(values.joined(separator: ", "))", parameters)
            start += slice.count
        }
        if let ledger {
            try connection.exec("UPDATE \(schema.runs) SET ledger = $3 WHERE target = $1 AND id = $2",
                                [.text(archive.target), .text(run), .bytes(ledger)])
        }
    }

    private func settle() {
        nextSeq += lines.count
        lines = []
        ledger = nil
    }
}
