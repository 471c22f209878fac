import Foundation

/// A run as `recon runs` lists it: its ledger, the status to show, and where its folder is.
public struct RunSummary: Sendable, Equatable {
    public var record: RunRecord
    /// The ledger's status, except `interrupted` for a `running` ledger with no live lease of its own.
    public var status: RunStatus
    public var directory: String
    /// Known from the store (PostgreSQL); nil to look in the folder.
    private var backupKept: Bool?

    public init(record: RunRecord, status: RunStatus, directory: String, hasBackup: Bool? = nil) {
        self.record = record
        self.status = status
        self.directory = directory
        self.backupKept = hasBackup
    }

    public var id: String { record.id }
    /// Whether the run's backup is kept (a backup folder in the run folder).
    public var hasBackup: Bool {
        if let backupKept { return backupKept }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: "\(directory)/\(RunLayout.backupFolderName)", isDirectory: &isDirectory)
            && isDirectory.boolValue
    }
}

/// Everything found in a runs directory: readable runs newest first, and folders that could not be read.
public struct RunListing: Sendable {
    public var runs: [RunSummary]
    /// Folder path and why it was skipped (no ledger, unreadable ledger).
    public var unreadable: [(path: String, reason: String)]
}
