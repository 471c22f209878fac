import Foundation
import Plan
import ReconCore
import State

/// The plan file a run keeps in its backup (`plan.json`) and hands to its `pre_apply` hooks: the bytes of the saved plan
/// that were verified (the file that was reviewed), or, for a plan made in the same run, the plan encoded as it is written,
/// in chunks. The bytes are let go once the backup holds them (`release`): at 100,000 creates a saved plan is ~92 MB and
/// the encoding of a plan made in the run was ~170 MB, both held through the whole execution (issue 12).
///
/// A plan made in the run whose runs are kept in files is encoded once (`init(spooling:in:)`): into a private file in the
/// runs folder, its digest taken from the same bytes, and the backup moves that file into the run's folder. Encoding it
/// once for the ledger's digest and once more for the backup cost ~0.6 s of CPU at 100,000 creates (issue 12, goal 2).
public final class RunPlanFile {
    private enum Content {
        case saved([UInt8])
        case made(Plan)
        /// The file, written whole and flushed, waiting in the runs folder for the backup to move it.
        case spooled(String)
        /// Moved into the run's folder by the backup.
        case kept
        case released
    }

    /// The names a spooled plan takes in the runs folder; one left by a killed run is removed with the other leftovers.
    static let spoolPrefix = ".plan-spool-"

    private var content: Content
    /// The digest the ledger records: the verified file's, or the one its encoding would carry.
    public let digest: String

    /// Takes the bytes of `file`; the caller keeps only its plan.
    public init(_ file: VerifiedPlan) {
        content = .saved(file.bytes)
        digest = file.digest
    }

    /// A plan made in this run, encoded when the backup (or a hook) asks for it: for a run kept in PostgreSQL.
    public init(made plan: Plan) {
        content = .made(plan)
        digest = PlanFile.digest(of: plan)
    }

    /// A plan made in this run, written once to a private file in `runsDirectory` (crash-safe, as `PlanFile.write`),
    /// the digest taken as it is written. The caller holds the state folder's lock, so no other run spools there.
    /// `bypassingCache`: written around the page cache, for a run without hooks (only a rollback reads the file again;
    /// a hook's copy is read from the spool, so then it stays cached).
    public init(spooling plan: Plan, in runsDirectory: String, bypassingCache: Bool) throws {
        try StateFolderGuard.require(runsDirectory, below: PrivateFile.directoryOf(runsDirectory))
        try PrivateFile.createDirectory(runsDirectory)
        let path = "\(runsDirectory)/\(Self.spoolPrefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        digest = try PlanFile.write(plan, to: path, bypassingCache: bypassingCache)
        content = .spooled(path)
    }

    deinit {
        if case .spooled(let path) = content { unlink(path) }
    }

    /// Writes a copy of the file to `path` (crash-safe, private), for a hook; the content is kept. Not after `keep` or `release`.
    func write(to path: String) throws {
        switch content {
        case .saved(let bytes): try AtomicFile.write(bytes, to: path)
        case .made(let plan): _ = try PlanFile.write(plan, to: path)
        case .spooled(let spool):
            guard let bytes = try AtomicFile.read(spool) else { throw PrivateFile.failure("cannot read", spool) }
            try AtomicFile.write(bytes, to: path)
        case .kept, .released: preconditionFailure("the run's plan file was written after its backup let it go")
        }
    }

    /// The backup's copy at `path`: a spooled file is moved there (rename, both folders flushed), any other written.
    /// A hook may have been handed a copy at `path`; it is replaced, so the backup is the plan this run applies.
    func keep(at path: String) throws {
        // The reviewed bytes (92 MB at 100,000 creates) are read again only by a rollback: written around the page cache.
        if case .saved(let bytes) = content { return try PrivateFile.write(to: path, bypassingCache: true) { put in try put(bytes) } }
        guard case .spooled(let spool) = content else { return try write(to: path) }
        guard rename(spool, path) == 0 else {
            guard errno == EXDEV else { throw PrivateFile.failure("cannot move \(spool) to", path) }
            try write(to: path)
            unlink(spool)
            content = .kept
            return
        }
        content = .kept
        try AtomicFile.syncDirectory(PrivateFile.directoryOf(path))
        try AtomicFile.syncDirectory(PrivateFile.directoryOf(spool))
    }

    /// The whole file, for a backup kept in PostgreSQL rows. Not after `keep` or `release`.
    var bytes: [UInt8] {
        get throws {
            switch content {
            case .saved(let bytes): return bytes
            case .made(let plan): return PlanFile.encode(plan)
            case .spooled(let spool):
                guard let bytes = try AtomicFile.read(spool) else { throw PrivateFile.failure("cannot read", spool) }
                return bytes
            case .kept, .released: preconditionFailure("the run's plan file was read after its backup let it go")
            }
        }
    }

    /// Once the backup holds the file: nothing later in the run reads it. A file still spooled is removed.
    func release() {
        if case .spooled(let path) = content { unlink(path) }
        content = .released
    }
}
