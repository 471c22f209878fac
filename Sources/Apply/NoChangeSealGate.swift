import Extract
import Foundation
import Manifest
import ReconCore
import Remote
import State

/// Checks and writes the no-op seal of one kind of run (issue 12). Only a whole-scope run with a local state and a
/// base that tracks its changes has one: with a PostgreSQL state there is no cheap digest of the state yet, so those
/// runs always take the full path. Any doubt (a fact unknown, an error reading it) means the full path.
struct NoChangeSealGate {
    var kind: NoChangeSeal.Kind
    var manifest: Manifest
    var store: StateStore
    var runs: any RunStore
    var stateDirectory: String

    /// Facts taken before the full path reads anything, confirmed again before sealing.
    struct Before {
        var file: FileIdentity
        var lastRun: String
        var mark: ChangeMark
        var markedAt: Int
    }

    /// The state file's identity (device, inode, size, modification time): a rename or a write moves it.
    struct FileIdentity: Equatable {
        var fields: [Int]
    }

    /// A gate for local states only.
    init?(kind: NoChangeSeal.Kind, manifest: Manifest, backend: StateBackendChoice, stateDirectory: String) {
        guard case .local(let store) = backend.place else { return nil }
        self.kind = kind
        self.manifest = manifest
        self.store = store
        self.runs = backend.runStore(layout: RunLayout(stateDirectory: stateDirectory))
        self.stateDirectory = stateDirectory
    }

    var path: String {
        NoChangeSeal.path(stateDirectory: stateDirectory, kind: kind, target: manifest.target.identifier, statePath: store.path)
    }

    // MARK: The fast path

    /// The seal when every fact it holds is still true; nil sends the run down the full path.
    func check(provider: any BaseProvider, now: Date = Date()) -> NoChangeSeal? {
        guard let seal = NoChangeSeal.read(path), seal.kind == kind, seal.toolVersion == NoChangeSeal.toolIdentity,
              seal.target == manifest.target.identifier, seal.manifestDigest == manifest.digest,
              let tracking = provider as? any ChangeTracking else { return nil }
        if let after = seal.fullRefreshAfter, Int(now.timeIntervalSince1970) - seal.markedAt >= after { return nil }
        guard seal.lastRun == lastRun(), let digest = stateDigest(), digest == seal.stateDigest else { return nil }
        if kind == .plan {
            guard let commits = try? RepoCommits.resolve(manifest, stateDirectory: stateDirectory), commits == seal.repoCommits
            else { return nil }
        }
        guard let schema = try? provider.inspectSchema(), covers(schema),
              (try? tracking.isUnchanged(since: ChangeMark(token: seal.mark, fullRefreshAfter: seal.fullRefreshAfter),
                                         tables: schema.tables)) == true else { return nil }
        return seal
    }

    // MARK: The full path

    /// Taken before the state is loaded and the base refreshed: a write racing either then breaks the seal.
    func before(provider: any BaseProvider, now: Date = Date()) -> Before? {
        guard let tracking = provider as? any ChangeTracking, let file = identity(),
              let schema = try? provider.inspectSchema(), covers(schema),
              let mark = try? tracking.changeMark(tables: schema.tables) else { return nil }
        return Before(file: file, lastRun: lastRun(), mark: mark, markedAt: Int(now.timeIntervalSince1970))
    }

    /// Seals a run that found nothing to do, when nothing it read moved since `before`; else removes any seal.
    func seal(_ before: Before?, repoCommits: [String: String], payload: String) {
        guard let before, let digest = stateDigest(), identity() == before.file, lastRun() == before.lastRun else {
            return NoChangeSeal.remove(path)
        }
        NoChangeSeal(kind: kind, toolVersion: NoChangeSeal.toolIdentity, target: manifest.target.identifier,
                     manifestDigest: manifest.digest, repoCommits: kind == .plan ? repoCommits : [:], stateDigest: digest,
                     lastRun: before.lastRun, mark: before.mark.token, fullRefreshAfter: before.mark.fullRefreshAfter,
                     markedAt: before.markedAt, payload: payload).write(to: path)
    }

    /// The run found something to do (or could not tell): the seal no longer says anything.
    func unseal() { NoChangeSeal.remove(path) }

    // MARK: Facts

    /// Every declared table is one Recon manages in the base: a foreign or missing one is never "no changes".
    private func covers(_ schema: RemoteSchema) -> Bool {
        manifest.tables.allSatisfy { schema.table(named: $0.name) != nil }
    }

    private func lastRun() -> String { LocalStateFacts.newestRun(runs) }

    private func identity() -> FileIdentity? {
        var info = stat()
        guard stat(store.path, &info) == 0 else { return nil }
        return FileIdentity(fields: [Int(info.st_dev), Int(info.st_ino), Int(info.st_size),
                                     Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)])
    }

    private func stateDigest() -> String? { LocalStateFacts.stateDigest(store) }
}
