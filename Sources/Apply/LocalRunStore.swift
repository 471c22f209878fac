import Foundation
import ReconCore
import State

/// The runs as folders under `state/runs/` (see `RunLayout`), read and written by `RunLedger` and `RunBackup`.
public struct LocalRunStore: RunStore {
    public let runsDirectory: String
    /// The lease beside the runs folder: a running run without it is interrupted.
    public let lockPath: String?

    public init(runsDirectory: String, lockPath: String? = nil) {
        self.runsDirectory = runsDirectory
        self.lockPath = lockPath
    }

    public init(layout: RunLayout) {
        self.init(runsDirectory: layout.runsDirectory, lockPath: layout.lockPath)
    }

    public var location: String { runsDirectory }

    public func start(operation: RunOperation, planDigest: String, target: String, leaseID: String?) throws -> any RunWriter {
        try RunLedger.start(runsDirectory: runsDirectory, operation: operation, planDigest: planDigest, target: target, leaseID: leaseID)
    }

    public func listing() -> RunListing { RunLedger.listing(runsDirectory: runsDirectory, lockPath: lockPath) }

    public func record(_ id: String) throws -> RunRecord { try RunLedger.load(runDirectory: directory(id)) }

    public func entries(_ id: String) throws -> (outcomes: [EntityOutcome], intents: [BatchIntent]) {
        try RunLedger.entries(runDirectory: directory(id))
    }

    public func file(_ id: String, _ file: RunFile) throws -> [UInt8]? { try AtomicFile.read(describe(id, file)) }

    public func priorState(_ id: String, valuesOf kept: [String: Set<String>]) throws -> StateModel? {
        try StateStore(path: describe(id, .priorState)).load(expectedTarget: nil, valuesOf: kept)
    }

    public func describe(_ id: String, _ file: RunFile) -> String { "\(directory(id))/\(file.rawValue)" }

    public func ids() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: runsDirectory)) ?? []).sorted() }

    public func remove(_ run: RunSummary) throws { try removeTree(run.directory, label: run.id) }

    public func removeBackup(_ run: RunSummary) throws {
        try removeTree("\(run.directory)/\(RunLayout.backupFolderName)", label: "\(run.id)-backup")
    }

    public func removeLeftovers() throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory)) ?? []
        for name in names where name.hasPrefix(".deleting-") || name.hasPrefix(RunPlanFile.spoolPrefix) {
            try removeItem("\(runsDirectory)/\(name)")
        }
    }

    public func export(_ id: String) throws -> RunExport {
        guard let ledger = try AtomicFile.read("\(directory(id))/\(RunLayout.ledgerFileName)") else {
            throw ReconError("no run ledger at \(directory(id))/\(RunLayout.ledgerFileName)")
        }
        let outcomes = try AtomicFile.read("\(directory(id))/\(RunLayout.outcomesFileName)") ?? []
        // Complete lines only: a last line cut short by a crash is left out, as the readers do.
        var lines = outcomes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        lines.removeLast()
        var files: [RunFile: [UInt8]] = [:]
        for file in RunFile.allCases { files[file] = try self.file(id, file) }
        return RunExport(id: id, ledger: ledger, lines: lines, files: files)
    }

    public func importRun(_ run: RunExport) throws {
        try PrivateFile.createDirectory(runsDirectory)
        let folder = directory(run.id)
        guard mkdir(folder, PrivateFile.directoryMode) == 0 else {
            throw ReconError("cannot create the run folder \(folder): \(String(cString: strerror(errno)))")
        }
        try AtomicFile.write(run.ledger, to: "\(folder)/\(RunLayout.ledgerFileName)")
        try AtomicFile.write(run.lines.flatMap { $0 + [0x0A] }, to: "\(folder)/\(RunLayout.outcomesFileName)")
        for file in RunFile.allCases {
            guard let bytes = run.files[file] else { continue }
            if file != .plan { try PrivateFile.createDirectory("\(folder)/\(RunLayout.backupFolderName)") }
            try AtomicFile.write(bytes, to: describe(run.id, file))
        }
    }

    private func directory(_ id: String) -> String { "\(runsDirectory)/\(id)" }

    /// Renames the folder out of sight first (atomic), then deletes it: a prune killed half way leaves a
    /// hidden `.deleting-*` folder, removed by the next prune, never a half-deleted run that looks real.
    private func removeTree(_ path: String, label: String) throws {
        _ = try SafeRemoval.contained(path, inside: runsDirectory)
        let trash = "\(runsDirectory)/.deleting-\(label)-\(String(format: "%06x", UInt32.random(in: 0...0xFF_FFFF)))"
        guard rename(path, trash) == 0 else {
            if errno == ENOENT { return }
            throw ReconError("cannot move \(path) aside to remove it: \(String(cString: strerror(errno)))")
        }
        try AtomicFile.syncDirectory(runsDirectory)
        try removeItem(trash)
    }

    private func removeItem(_ path: String) throws {
        do {
            try SafeRemoval.remove(path, inside: runsDirectory)
        } catch let error as ReconError {
            throw ReconError(error.message, hint: error.hint ?? "check the permissions of the state directory, then run 'recon prune' again")
        }
    }
}
