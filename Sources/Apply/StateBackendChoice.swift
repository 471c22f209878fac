import Foundation
import Manifest
import ReconCore
import State

/// Which backend holds a run's state, from the manifests' `state:` block, `--state-backend` (which
/// the CLI copies into `RECON_STATE_BACKEND`) and the environment: the one place that opens the
/// store and the lock, so the commands stay as they were for local state. The URI is read from the
/// variable `url_env` names and never leaves the PostgreSQL store (its errors are redacted).
public struct StateBackendChoice {
    public static let backendEnvironment = "RECON_STATE_BACKEND"

    public enum Place {
        case local(StateStore)
        case postgres(PostgresStateStore)
    }

    public let place: Place
    /// The `state:` block as this run applies it (the flag's backend in it).
    public let spec: StateSpec

    /// `manifest` with its target already selected (`TargetSelection`), `statePath` the file that goes with it.
    public static func resolve(_ manifest: Manifest, statePath: String, environment: [String: String]) throws -> StateBackendChoice {
        var spec = manifest.state
        if let chosen = environment[backendEnvironment], !chosen.isEmpty {
            guard let backend = StateSpec.Backend(rawValue: chosen) else {
                throw ReconError("invalid --state-backend '\(ControlEscape.escaped(chosen))' (or \(backendEnvironment))",
                                 hint: "expected one of: " + StateSpec.Backend.allCases.map(\.rawValue).joined(separator: ", "))
            }
            spec.backend = backend
        }
        switch spec.backend {
        case .local:
            return StateBackendChoice(place: .local(StateStore(path: statePath)), spec: spec)
        case .postgres:
            guard let url = environment[spec.urlEnv], !url.isEmpty else {
                throw ReconError("the state is kept in PostgreSQL, but \(spec.urlEnv) is not set",
                                 hint: "export \(spec.urlEnv) with a libpq URI (postgresql://user@host/db), or use --state-backend local")
            }
            let store = try PostgresStateStore(connectionString: url, schema: spec.schema, target: manifest.target.identifier)
            return StateBackendChoice(place: .postgres(store), spec: spec)
        }
    }

    public var store: any StateBackend {
        switch place {
        case .local(let store): store
        case .postgres(let store): store
        }
    }

    /// The store as `state migrate` writes into it.
    public var importer: any StateImport {
        switch place {
        case .local(let store): store
        case .postgres(let store): store
        }
    }

    /// Where the state is, for messages: a path, or the PostgreSQL schema and target.
    public var location: String { store.location }

    /// "no state in …", naming where this run looked: the file, or the schema and target.
    public var noStateMessage: String {
        switch place {
        case .local(let store): "no state in \(ControlEscape.escaped(store.path))"
        case .postgres(let store): "no state in PostgreSQL schema \(spec.schema) for target \(ControlEscape.escaped(store.target))"
        }
    }

    /// How to reach a shared state, for errors about a missing one.
    public static let sharedStateHint = "if the state is shared, point this clone at it: a 'state: {backend: postgres, url_env: RECON_STATE_URL}' "
        + "block in the manifests, or --state-backend postgres with RECON_STATE_URL set (see docs/state.md)"

    /// The local history, which the retention pruner removes from; PostgreSQL prunes its own at each write.
    public var localHistory: StateHistory? {
        if case .local(let store) = place { return store.history }
        return nil
    }

    /// Where this target's runs are: the run folders beside local state, the state's schema otherwise.
    public func runStore(layout: RunLayout) -> any RunStore {
        switch place {
        case .local: LocalRunStore(layout: layout)
        case .postgres(let store): PostgresRunStore(store)
        }
    }

    /// Takes the lock for `operation`: the file lease beside local state, the PostgreSQL lock otherwise.
    /// `ttl` (PostgreSQL only; tests) is the lease row's lifetime, renewed every third of it.
    public func lock(operation: String, layout: RunLayout, wait: Double?, ttl: Double? = nil,
                     stopWaiting: @escaping () -> Bool = { false }) throws -> any StateLock {
        switch place {
        case .local(let store):
            // Before anything is written: a symlinked runs or history folder would be written through later.
            try StateFolderGuard.require(layout.runsDirectory, below: layout.stateDirectory)
            try StateFolderGuard.require(store.history.directory, below: PrivateFile.directoryOf(store.history.directory))
            return try Lease.acquire(path: layout.lockPath, operation: operation, wait: wait, stopWaiting: stopWaiting)
        case .postgres(let store):
            return PostgresLease(try PostgresStateLock.acquire(store, operation: operation, ttl: ttl ?? PostgresStateLock.defaultTTL,
                                                               wait: wait, stopWaiting: stopWaiting))
        }
    }
}

extension StateBackendChoice {
    /// The backend for the manifests' target as `--base-id` selects it (for commands that have not selected it yet).
    public static func selected(_ manifest: Manifest, statePath: String, environment: [String: String]) throws -> StateBackendChoice {
        var manifest = manifest
        let statePath = try TargetSelection.apply(to: &manifest, environment: environment, statePath: statePath)
        return try resolve(manifest, statePath: statePath, environment: environment)
    }
}
