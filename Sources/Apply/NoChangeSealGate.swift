import Extract
import Foundation
import Manifest
import ReconCore
import Remote
import State

/// Checks and writes the no-op seal of one kind of run (issue 12). Only a whole-scope run against a base that tracks
/// its changes has one: its seal sits beside a local state or in the PostgreSQL state (`NoChangeSealPlace`). Any
/// doubt (a fact unknown, an error reading it) means the full path.
struct NoChangeSealGate {
    var kind: NoChangeSeal.Kind
    var manifest: Manifest
    var place: NoChangeSealPlace
    var runs: any RunStore
    var stateDirectory: String

    /// Facts taken before the full path reads anything, confirmed again before sealing.
    struct Before {
        var state: String
        var lastRun: String
        var mark: ChangeMark
        var markedAt: Int
        /// Each repo's commit as the check compares it (`RepoCommits`: a shallow clone's boundary included), for plans.
        var repos: [String: String]?
    }

    init(kind: NoChangeSeal.Kind, manifest: Manifest, backend: StateBackendChoice, stateDirectory: String) {
        self.kind = kind
        self.manifest = manifest
        switch backend.place {
        case .local(let store): place = .local(store, stateDirectory: stateDirectory, target: manifest.target.identifier)
        case .postgres(let store): place = .postgres(PostgresSealStore(store))
        }
        self.runs = backend.runStore(layout: RunLayout(stateDirectory: stateDirectory))
        self.stateDirectory = stateDirectory
    }

    // MARK: The fast path

    /// The seal when every fact it holds is still true; nil sends the run down the full path.
    func check(provider: any BaseProvider, now: Date = Date()) -> NoChangeSeal? {
        guard let tool = place.toolIdentity, let seal = place.read(kind), seal.kind == kind, seal.toolVersion == tool,
              seal.target == manifest.target.identifier, seal.manifestDigest == manifest.digest,
              let tracking = provider as? any ChangeTracking else { return nil }
        if let after = seal.fullRefreshAfter, Int(now.timeIntervalSince1970) - seal.markedAt >= after { return nil }
        guard seal.lastRun == lastRun(), let digest = place.stateDigest(), digest == seal.stateDigest else { return nil }
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
        guard place.toolIdentity != nil, let tracking = provider as? any ChangeTracking, let state = place.stateFact(),
              let schema = try? provider.inspectSchema(), covers(schema),
              let mark = try? tracking.changeMark(tables: schema.tables) else { return nil }
        let repos = kind == .plan ? (try? RepoCommits.resolve(manifest, stateDirectory: stateDirectory)) ?? nil : nil
        return Before(state: state, lastRun: lastRun(), mark: mark, markedAt: Int(now.timeIntervalSince1970), repos: repos)
    }

    /// Seals a run that found nothing to do, when nothing it read moved since `before`; else removes any seal.
    func seal(_ before: Before?, repoCommits: [String: String], payload: String) {
        guard let before, let tool = place.toolIdentity, let digest = place.stateDigest(), place.stateFact() == before.state,
              lastRun() == before.lastRun else {
            return place.remove(kind)
        }
        // The commits the plan was made from, as the check will resolve them; unchanged since before extraction.
        var repoCommits = repoCommits
        if kind == .plan {
            guard let repos = before.repos, repos.mapValues({ String($0.prefix { $0 != " " }) }) == repoCommits,
                  (try? RepoCommits.resolve(manifest, stateDirectory: stateDirectory)) == repos else { return place.remove(kind) }
            repoCommits = repos
        }
        place.write(NoChangeSeal(kind: kind, toolVersion: tool, target: manifest.target.identifier,
                                 manifestDigest: manifest.digest, repoCommits: kind == .plan ? repoCommits : [:], stateDigest: digest,
                                 lastRun: before.lastRun, mark: before.mark.token, fullRefreshAfter: before.mark.fullRefreshAfter,
                                 markedAt: before.markedAt, payload: payload))
    }

    /// The run found something to do (or could not tell): the seal no longer says anything.
    func unseal() { place.remove(kind) }

    // MARK: Facts

    /// Every declared table is one Recon manages in the base: a foreign or missing one is never "no changes".
    private func covers(_ schema: RemoteSchema) -> Bool {
        manifest.tables.allSatisfy { schema.table(named: $0.name) != nil }
    }

    /// The newest apply or rollback and its status, and how many run folders could not be read.
    private func lastRun() -> String { LocalStateFacts.newestRun(runs) }
}
