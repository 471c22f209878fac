import Foundation
import ReconCore
import State

/// Where a target's no-op seals live and what says its state has not moved (issue 12): a file in `state/cache`
/// beside a local state (its identity, then its SHA-256), or a row beside a PostgreSQL state (its version, which
/// every write moves: `PostgresStateMarks`). Any doubt reads as nil: the full path.
enum NoChangeSealPlace {
    case local(StateStore, stateDirectory: String, target: String)
    case postgres(PostgresSealStore)

    /// The build that may read the seal. A PostgreSQL seal is read by other machines (CI runners), where the same
    /// build has another modification time, so it names the executable's bytes.
    var toolIdentity: String? {
        switch self {
        case .local: NoChangeSeal.toolIdentity
        case .postgres: NoChangeSeal.portableToolIdentity
        }
    }

    func read(_ kind: NoChangeSeal.Kind) -> NoChangeSeal? {
        switch self {
        case .local: usable ? NoChangeSeal.read(path(kind)) : nil
        case .postgres(let seals): seals.read(kind: kind.rawValue).flatMap(NoChangeSeal.decode)
        }
    }

    func write(_ seal: NoChangeSeal) {
        switch self {
        case .local: if usable { seal.write(to: path(seal.kind)) }
        case .postgres(let seals): seals.write(kind: seal.kind.rawValue, bytes: seal.encoded())
        }
    }

    func remove(_ kind: NoChangeSeal.Kind) {
        switch self {
        case .local: if usable { NoChangeSeal.remove(path(kind)) }
        case .postgres(let seals): seals.remove(kind: kind.rawValue)
        }
    }

    /// Taken before the state is loaded and again before sealing: the file's identity (a rename or a write moves
    /// it), or the PostgreSQL state version.
    func stateFact() -> String? {
        switch self {
        case .local(let store, _, _):
            var info = stat()
            guard stat(store.path, &info) == 0 else { return nil }
            return [Int(info.st_dev), Int(info.st_ino), Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
                .map(String.init).joined(separator: " ")
        case .postgres(let seals):
            return seals.stateVersion()
        }
    }

    /// What the seal keeps of the state: the SHA-256 of the local file (its journal empty), or the version.
    func stateDigest() -> String? {
        switch self {
        case .local(let store, _, _):
            return LocalStateFacts.stateDigest(store)
        case .postgres(let seals):
            return seals.stateVersion()
        }
    }

    /// False when the seal folder (or `cache`) is a symlink: then no seal is read, written or removed there.
    private var usable: Bool {
        guard case .local(_, let stateDirectory, _) = self else { return true }
        return StateFolderGuard.isPlain(PrivateFile.directoryOf(path(.plan)), below: stateDirectory)
    }

    /// `state/cache/noop-seal/<kind>-<hash>.json` of a local state.
    func path(_ kind: NoChangeSeal.Kind) -> String {
        guard case .local(let store, let stateDirectory, let target) = self else { return "" }
        return NoChangeSeal.path(stateDirectory: stateDirectory, kind: kind, target: target, statePath: store.path)
    }
}
