import Remote
import State

/// What planning read moments ago in this process, under the lock apply still holds: the base and the state
/// on disk. Apply reuses it instead of reading both again (the state alone is ~1 s at 100,000 records).
public struct Refreshed: Sendable {
    public var snapshot: RemoteSnapshot
    /// The state as loaded; nil when there was none yet.
    public var state: StateModel?
    /// The SHA-256 of the state file `state` was decoded from, when it is exactly that file (`StateStore.loadWithDigest`).
    public var stateDigest: String?

    public init(snapshot: RemoteSnapshot, state: StateModel?, stateDigest: String? = nil) {
        self.snapshot = snapshot
        self.state = state
        self.stateDigest = stateDigest
    }
}
