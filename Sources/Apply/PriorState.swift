import ReconCore
import State

/// The state a run found before its first write, for its backup (`backup/state.json`): the state as loaded, and, when it
/// is exactly the state file's bytes, the digest they had then, so the file is copied instead of the state encoded again
/// (~0.5 s of CPU at 100,000 records, issue 12). The copy is checked against that digest before it is renamed into place.
public struct PriorState {
    public var state: StateModel
    var store: any StateBackend
    var fileDigest: String?

    public init(state: StateModel, store: any StateBackend, fileDigest: String?) {
        self.state = state
        self.store = store
        self.fileDigest = fileDigest
    }

    /// The state file copied when its bytes still hash to the digest taken at load; else the state encoded.
    func write(to path: String) throws {
        if let fileDigest, try store.copySnapshot(digest: fileDigest, to: path) { return }
        // A lean load left records' values in the file (`StateStore.loadLean`), and it is no longer that file.
        guard !state.isPartial else { throw StateStore.changedSinceLoad(path: store.location) }
        try PrivateFile.write(to: path, bypassingCache: true) { put in try StateCodec.encode(state, chunkSize: 1 << 20, put: put) }
    }
}
