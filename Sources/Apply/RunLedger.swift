import Foundation
import ReconCore
import State

/// The record of one run, kept in `state/runs/<run-id>/` while the run goes on.
///
/// `ledger.json` is small (no per-record data) and replaced atomically on every phase change, batch,
/// heartbeat and at the end, so a reader always sees a whole one. Per-record outcomes go to
/// `outcomes.jsonl`, opened `O_APPEND`: each batch costs one write and one fsync, never a rewrite.
/// Safe to use from several threads (a heartbeat thread and the applier).
public final class RunLedger: @unchecked Sendable {
    public let directory: String
    private let lock = NSLock()
    private var current: RunRecord
    private var outcomesDescriptor: Int32

    private init(directory: String, record: RunRecord, outcomesDescriptor: Int32) {
        self.directory = directory
        self.current = record
        self.outcomesDescriptor = outcomesDescriptor
    }

    deinit {
        if outcomesDescriptor >= 0 { close(outcomesDescriptor) }
    }

    public var id: String { lock.withLock { current.id } }
    /// The ledger as it stands in memory (what the next write will put on disk).
    public var record: RunRecord { lock.withLock { current } }
    public var ledgerPath: String { "\(directory)/\(RunLayout.ledgerFileName)" }
    public var outcomesPath: String { "\(directory)/\(RunLayout.outcomesFileName)" }

    // MARK: Writing

    /// Creates a new run folder under `runsDirectory` with a fresh id, its ledger (status `running`)
    /// and an empty outcomes file.
    public static func start(runsDirectory: String, operation: RunOperation, planDigest: String, target: String,
                             leaseID: String?, at date: Date = Date()) throws -> RunLedger {
        let date = UTCTimestamp.truncated(date)
        try StateFolderGuard.require(runsDirectory, below: PrivateFile.directoryOf(runsDirectory))
        try createDirectory(runsDirectory)
        var id = RunID.make(at: date)
        while mkdir("\(runsDirectory)/\(id)", PrivateFile.directoryMode) != 0 {
            guard errno == EEXIST else { throw failure("cannot create the run folder", "\(runsDirectory)/\(id)") }
            id = RunID.make(at: date)
        }
        let directory = "\(runsDirectory)/\(id)"
        var record = RunRecord(id: id, operation: operation, planDigest: planDigest, target: target, leaseID: leaseID,
                               started: date)
        stampOrigin(&record)
        try AtomicFile.write(record.encoded(), to: "\(directory)/\(RunLayout.ledgerFileName)")
        let outcomes = "\(directory)/\(RunLayout.outcomesFileName)"
        let descriptor = PrivateFile.open(outcomes, O_WRONLY | O_APPEND)
        guard descriptor >= 0 else { throw failure("cannot create", outcomes) }
        try AtomicFile.syncDirectory(directory)
        try AtomicFile.syncDirectory(runsDirectory)
        return RunLedger(directory: directory, record: record, outcomesDescriptor: descriptor)
    }

    /// Ends the open phase, if any, and starts `name`.
    public func beginPhase(_ name: String, at date: Date = Date()) throws {
        let date = UTCTimestamp.truncated(date)
        try update(at: date) { record in
            RunLedger.closeOpenPhase(&record, at: date)
            record.phases.append(RunRecord.Phase(name: name, started: date))
        }
    }

    public func endPhase(at date: Date = Date()) throws {
        let date = UTCTimestamp.truncated(date)
        try update(at: date) { RunLedger.closeOpenPhase(&$0, at: date) }
    }

    /// Appends outcomes in one `write` and counts them. Durable at the next `batchCompleted`.
    public func record(_ outcomes: [EntityOutcome]) throws {
        guard !outcomes.isEmpty else { return }
        var bytes: [UInt8] = []
        for outcome in outcomes { bytes.append(contentsOf: outcome.line()) }
        try lock.withLock {
            guard outcomesDescriptor >= 0 else { throw ReconError("run \(current.id) is finished; its outcomes are closed") }
            try RunLedger.writeAll(bytes, to: outcomesDescriptor, path: outcomesPath)
            for outcome in outcomes { current.counters.count(outcome) }
        }
    }

    public func record(_ outcome: EntityOutcome) throws { try record([outcome]) }

    /// Appends and fsyncs a create intent before its batch is sent (write-ahead), so a kill after the base
    /// committed the batch but before its outcomes still leaves the keys on record (`InFlightRecovery`).
    public func record(_ intent: BatchIntent) throws {
        try lock.withLock {
            guard outcomesDescriptor >= 0 else { throw ReconError("run \(current.id) is finished; its outcomes are closed") }
            try RunLedger.writeAll(intent.line(), to: outcomesDescriptor, path: outcomesPath)
            if fsync(outcomesDescriptor) != 0 { throw RunLedger.failure("cannot flush", outcomesPath) }
        }
    }

    /// Makes the batch's outcomes durable (fsync), counts the batch (unless it only wrote the state)
    /// and rewrites the ledger.
    public func batchCompleted(countingBatch: Bool = true, at date: Date = Date()) throws {
        try lock.withLock {
            if outcomesDescriptor >= 0 {
                if fsync(outcomesDescriptor) != 0 { throw RunLedger.failure("cannot flush", outcomesPath) }
                DurableAppend.releaseCachedPages(of: outcomesDescriptor, length: lseek(outcomesDescriptor, 0, SEEK_END))
            }
        }
        try update(at: date) { if countingBatch { $0.counters.batches += 1 } }
    }

    /// Rewrites the ledger with a new heartbeat, so a reader can tell the run is still alive.
    public func heartbeat(at date: Date = Date()) throws {
        try update(at: date) { _ in }
    }

    /// Keeps a warning for the ledger; written with the next update. A run that finishes `succeeded`
    /// with warnings is recorded as `succeeded_with_warnings`.
    public func warn(_ message: String) {
        lock.withLock { current.warnings.append(message) }
    }

    /// Records a hook's run. Also after `finish`: `on_failure` hooks run once the failure is on record,
    /// and are kept beside it without changing the status.
    public func record(hook result: HookResult, at date: Date = Date()) throws {
        try update(at: date, afterFinish: true) { $0.hooks.append(result) }
    }

    /// Closes the open phase, records the final status and closes the outcomes file.
    public func finish(_ status: RunStatus, error: String? = nil, drift: DriftCounts? = nil, at date: Date = Date()) throws {
        let date = UTCTimestamp.truncated(date)
        precondition(status.isFinal && status != .interrupted, "a run finishes with a final, stored status")
        try update(at: date) { record in
            RunLedger.closeOpenPhase(&record, at: date)
            record.status = status == .succeeded && !record.warnings.isEmpty ? .succeededWithWarnings : status
            record.error = error
            record.drift = drift ?? record.drift
            record.finished = date
        }
        lock.withLock {
            if outcomesDescriptor >= 0 {
                fsync(outcomesDescriptor)
                close(outcomesDescriptor)
                outcomesDescriptor = -1
            }
        }
    }

    /// Dates are cut to milliseconds first, so the record in memory equals the one read back.
    private func update(at date: Date, afterFinish: Bool = false, _ change: (inout RunRecord) -> Void) throws {
        let date = UTCTimestamp.truncated(date)
        try lock.withLock {
            guard afterFinish || !current.status.isFinal else { throw ReconError("run \(current.id) is already finished") }
            var next = current
            change(&next)
            if !current.status.isFinal { next.heartbeat = max(next.heartbeat, date) }
            try AtomicFile.write(next.encoded(), to: ledgerPath)
            current = next
        }
    }

    /// Who runs it and where: a running drift check holds no lease, so its process is how it is judged alive.
    static func stampOrigin(_ record: inout RunRecord) {
        (record.owner, record.host, record.pid) = ("\(LeaseInfo.localUser)@\(LeaseInfo.localHost)", LeaseInfo.localHost, getpid())
    }

    static func closeOpenPhase(_ record: inout RunRecord, at date: Date) {
        if let last = record.phases.indices.last, record.phases[last].finished == nil {
            record.phases[last].finished = date
        }
    }

    // MARK: Reading

    public static func load(runDirectory: String) throws -> RunRecord {
        let path = "\(runDirectory)/\(RunLayout.ledgerFileName)"
        guard let bytes = try AtomicFile.read(path) else {
            throw ReconError("no run ledger at \(path)", hint: "list the runs with 'recon runs'")
        }
        return try RunRecord.decode(bytes, path: path)
    }

    /// Every outcome of a run, in the order written. A last line cut short by a crash is left out;
    /// any other bad line is an error naming its line number.
    public static func outcomes(runDirectory: String) throws -> [EntityOutcome] {
        try entries(runDirectory: runDirectory).outcomes
    }

    /// The outcomes and the create intents of a run, each in the order written.
    public static func entries(runDirectory: String) throws -> (outcomes: [EntityOutcome], intents: [BatchIntent]) {
        let path = "\(runDirectory)/\(RunLayout.outcomesFileName)"
        guard let bytes = try AtomicFile.read(path) else { return ([], []) }
        var outcomes: [EntityOutcome] = []
        var intents: [BatchIntent] = []
        var start = 0
        var number = 0
        while let end = bytes[start...].firstIndex(of: 0x0A) {
            number += 1
            if let outcome = EntityOutcome(line: bytes[start..<end]) {
                outcomes.append(outcome)
            } else if let intent = BatchIntent(line: bytes[start..<end]) {
                intents.append(intent)
            } else {
                throw ReconError("\(path):\(number): not an outcome line", hint: "the run folder was edited or damaged")
            }
            start = end + 1
        }
        return (outcomes, intents)
    }

    /// The runs under `runsDirectory`, newest first, with interrupted runs told apart. `lockPath`
    /// defaults to the lease beside the runs folder (`state/.lock`).
    public static func list(runsDirectory: String, lockPath: String? = nil) -> [RunSummary] {
        listing(runsDirectory: runsDirectory, lockPath: lockPath).runs
    }

    /// `list`, plus the folders that could not be read, so a listing can say what it skipped.
    public static func listing(runsDirectory: String, lockPath: String? = nil) -> RunListing {
        let liveLease = liveLease(runsDirectory: runsDirectory, lockPath: lockPath)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory)) ?? []
        var runs: [RunSummary] = []
        var unreadable: [(path: String, reason: String)] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let directory = "\(runsDirectory)/\(name)"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                continue
            }
            do {
                var record = try load(runDirectory: directory)
                let status = shownStatus(record, liveLease: liveLease)
                if status == .interrupted { record.counters = committedCounters(record, runDirectory: directory) }
                runs.append(RunSummary(record: record, status: status, directory: directory))
            } catch let error as ReconError {
                unreadable.append((directory, error.message))
            } catch {
                unreadable.append((directory, "\(error)"))
            }
        }
        runs.sort { ($0.record.started, $0.id) > ($1.record.started, $1.id) }
        return RunListing(runs: runs, unreadable: unreadable)
    }

    /// The stored status, or `interrupted` for a `running` ledger with no live lease of its own.
    static func shownStatus(_ record: RunRecord, liveLease: LeaseInfo?) -> RunStatus {
        guard record.status == .running else { return record.status }
        // A drift check holds no lease: it is interrupted when its process is gone.
        let orphaned = record.operation == .drift ? !record.processMayBeAlive
            : liveLease == nil || (record.leaseID != nil && liveLease?.id != record.leaseID)
        return orphaned ? .interrupted : .running
    }

    /// The lease beside `runsDirectory` when it is live, for `shownStatus`.
    static func liveLease(runsDirectory: String, lockPath: String? = nil) -> LeaseInfo? {
        let lease = try? Lease.current(path: lockPath ?? "\(Lease.directory(of: runsDirectory))/.lock")
        return lease.flatMap { $0.staleness() == nil ? $0 : nil }
    }

    /// An interrupted run's counters as its outcomes tell them. Outcomes are fsynced before the
    /// ledger is rewritten, so a kill between the two leaves the ledger one batch short; the
    /// outcomes file is the record of what was committed.
    static func committedCounters(_ record: RunRecord, runDirectory: String) -> RunCounters {
        guard let outcomes = try? outcomes(runDirectory: runDirectory) else { return record.counters }
        var counted = RunCounters()
        for outcome in outcomes { counted.count(outcome) }
        var withoutBatches = record.counters
        withoutBatches.batches = 0
        guard counted != withoutBatches else { return record.counters }
        counted.batches = record.counters.batches + 1
        return counted
    }

    // MARK: Helpers

    private static func createDirectory(_ path: String) throws {
        try PrivateFile.createDirectory(path)
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot append to", path)
            }
            written += count
        }
    }

    private static func failure(_ action: String, _ path: String) -> ReconError {
        ReconError("\(action) \(path): \(String(cString: strerror(errno)))")
    }
}
