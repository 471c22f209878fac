import Remote
import State

/// What planning read moments ago in this process, under the lock apply still holds: the base and the state
/// on disk. Apply reuses it instead of reading both again (the state alone is ~1 s at 100,000 records).
public struct Refreshed: Sendable {
    public var snapshot: RemoteSnapshot
    /// The state as loaded; nil when there was none yet.
    public var state: StateModel?
    /// Repo name → the sealed records entry the desired records were (`RepoExtraction.sealedEntry`); nil when a repo
    /// had none: then the apply leaves no delta baseline.
    var entries: [String: String]?
    /// A delta run's snapshot holds only the records it planned: the baseline's list of the other base records the
    /// state does not hold (table → id → key), which the next baseline carries on. Nil for a full refresh.
    var outside: [String: [String: String?]]?
    /// The base's change mark taken before planning read it: a delta baseline vouches only for a base no one else
    /// wrote to since (`DeltaBaselineGate`). Nil when the base tracked no change then.
    var readSince: ChangeMark?
    /// The SHA-256 of the state file `state` was decoded from, when it is exactly that file (`StateStore.loadWithDigest`).
    public var stateDigest: String?
    /// Where each record of that file is, when the state write may copy the records left as they were from it: the
    /// file's digest is the one the last apply's write recorded (`DeltaBaseline.stateDigest`), so it is canonical.
    var stateLayout: StateFileLayout?

    public init(snapshot: RemoteSnapshot, state: StateModel?, stateDigest: String? = nil) {
        self.snapshot = snapshot
        self.state = state
        self.stateDigest = stateDigest
    }
}
