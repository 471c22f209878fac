import ReconCore
import State

/// The runs of a target kept in the PostgreSQL state's schema (`PostgresRunArchive`): one truth for every clone.
/// A run whose ledger says running is interrupted unless a live holder of the target's lock has its lease.
public struct PostgresRunStore: RunStore {
    public let archive: PostgresRunArchive

    public init(_ store: PostgresStateStore) {
        archive = PostgresRunArchive(store)
    }

    public var location: String { archive.store.location }

    public func start(operation: RunOperation, planDigest: String, target: String, leaseID: String?) throws -> any RunWriter {
        try PostgresRunLedger.start(archive, operation: operation, planDigest: planDigest, target: target, leaseID: leaseID)
    }

    public func listing() -> RunListing {
        let live: String?
        let listed: [PostgresRunArchive.Listed]
        do {
            live = try archive.liveLeaseID()
            listed = try archive.runs()
        } catch {
            return RunListing(runs: [], unreadable: [(location, "\(error)")])
        }
        var runs: [RunSummary] = []
        var unreadable: [(path: String, reason: String)] = []
        for run in listed {
            let label = label(run.id)
            do {
                let record = try RunRecord.decode(run.ledger, path: label)
                var status = record.status
                // A drift check holds no lease: it is interrupted when its process is gone.
                let orphaned = record.operation == .drift ? !record.processMayBeAlive
                    : live == nil || (record.leaseID != nil && live != record.leaseID)
                if status == .running, orphaned { status = .interrupted }
                runs.append(RunSummary(record: record, status: status, directory: label, hasBackup: run.hasBackup))
            } catch let error as ReconError {
                unreadable.append((label, error.message))
            } catch {
                unreadable.append((label, "\(error)"))
            }
        }
        runs.sort { ($0.record.started, $0.id) > ($1.record.started, $1.id) }
        return RunListing(runs: runs, unreadable: unreadable)
    }

    public func record(_ id: String) throws -> RunRecord {
        guard let bytes = try archive.ledger(run: id) else {
            throw ReconError("no run ledger for run \(id) in \(location)", hint: "list the runs with 'recon runs'")
        }
        return try RunRecord.decode(bytes, path: label(id))
    }

    public func entries(_ id: String) throws -> (outcomes: [EntityOutcome], intents: [BatchIntent]) {
        var outcomes: [EntityOutcome] = []
        var intents: [BatchIntent] = []
        for (number, line) in try archive.lines(run: id).enumerated() {
            if let outcome = EntityOutcome(line: line[...]) {
                outcomes.append(outcome)
            } else if let intent = BatchIntent(line: line[...]) {
                intents.append(intent)
            } else {
                throw ReconError("\(label(id)), outcome \(number + 1): not an outcome line", hint: "the run's rows were edited or damaged")
            }
        }
        return (outcomes, intents)
    }

    public func file(_ id: String, _ file: RunFile) throws -> [UInt8]? { try archive.file(run: id, name: file.rawValue) }

    public func priorState(_ id: String, valuesOf kept: [String: Set<String>]) throws -> StateModel? {
        guard let bytes = try file(id, .priorState) else { return nil }
        do {
            return try StateCodec.decode(bytes, valuesOf: kept)
        } catch {
            throw ReconError("\(describe(id, .priorState)) is damaged: \(error)", hint: "the run's backup was edited; it cannot be rolled back")
        }
    }

    public func describe(_ id: String, _ file: RunFile) -> String { "\(label(id)), \(file.rawValue)" }

    public func ids() -> [String] { ((try? archive.runs()) ?? []).map(\.id) }

    public func remove(_ run: RunSummary) throws { try archive.remove(run: run.id) }

    public func removeBackup(_ run: RunSummary) throws { try archive.removeBackup(run: run.id) }

    public func removeLeftovers() throws {}

    public func export(_ id: String) throws -> RunExport {
        guard let ledger = try archive.ledger(run: id) else { throw ReconError("no run ledger for run \(id) in \(location)") }
        var files: [RunFile: [UInt8]] = [:]
        for file in RunFile.allCases { files[file] = try self.file(id, file) }
        return RunExport(id: id, ledger: ledger, lines: try archive.lines(run: id), files: files)
    }

    public func importRun(_ run: RunExport) throws {
        try archive.importRun(run.id, ledger: run.ledger, lines: run.lines,
                              files: RunFile.allCases.compactMap { file in run.files[file].map { (file.rawValue, $0) } })
    }

    private func label(_ id: String) -> String { "\(location), run \(id)" }
}
