/// Where the lock and the run folders live under the state directory; the one place that knows the names.
///
/// ```
/// state/.lock              the lease (one holder at a time)
/// state/.lock.guard        flock()ed while a lease is created, renewed, broken or removed; never deleted
/// state/runs/<run-id>/     ledger.json, outcomes.jsonl, backup/ (written by the applier)
/// ```
public struct RunLayout: Sendable, Equatable {
    public static let defaultStateDirectory = "state"

    public let stateDirectory: String

    public init(stateDirectory: String = RunLayout.defaultStateDirectory) {
        self.stateDirectory = stateDirectory
    }

    public var lockPath: String { "\(stateDirectory)/.lock" }
    public var runsDirectory: String { "\(stateDirectory)/runs" }

    public func runDirectory(_ id: String) -> String { "\(runsDirectory)/\(id)" }

    /// The folder inside a run folder where the applier keeps before-images; retention prunes it on its own.
    public static let backupFolderName = "backup"
    public static let ledgerFileName = "ledger.json"
    public static let outcomesFileName = "outcomes.jsonl"
}
