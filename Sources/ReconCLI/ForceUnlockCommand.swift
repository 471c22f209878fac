import Apply
import Manifest
import ReconCore
import State

/// `recon force-unlock ID`: removes a lease left behind, only when the caller names its id.
struct ForceUnlockCommand: Command {
    static let configuration = CommandConfiguration(
        name: "force-unlock",
        abstract: "Remove the lock on the state, given the lease id",
        usage: "recon force-unlock ID",
        discussion: """
            Removes the lease file state/.lock (or, with the state in PostgreSQL, the lease row, ending the
            holder's session) only when its id is ID, as printed by the error of a run that
            found the state locked. Use it when the holder is gone for good and the lease cannot break itself:
            it still has time before it expires, and its process ran on another host. A lease that expired,
            or whose process on this host has died, is broken by the next apply without this command.
            If the holder is in fact still running, it stops with an error before its next batch.
            """,
        examples: ["recon force-unlock 6f1c2d9e-6a47-4f0b-9a51-2b8f0d6c1e3a"])

    let id: String

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1 else {
            throw ReconError(arguments.positionals.isEmpty ? "'force-unlock' needs the lease id" : "'force-unlock' takes one lease id",
                             hint: "usage: recon force-unlock ID (the id is shown by the error that found the state locked)")
        }
        id = arguments.positionals[0]
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let console = context.console
        if let store = try Self.sharedStore(context) {
            try PostgresStateLock.forceUnlock(store, id: id)
            console.line("Removed the lease \(ControlEscape.escaped(id)) from \(store.location) and ended its holder's session; "
                + "if that run is still going it stops with an error before its next batch. Plan again before applying.")
            return .success
        }
        let path = RunLayout(stateDirectory: context.globals.stateDirectory).lockPath
        let removed = try Lease.forceUnlock(path: path, id: id)
        let shown = ControlEscape.escaped
        console.line("Removed the lease \(shown(removed.id)) from \(shown(path)): it was held by \(shown(removed.owner)) (pid \(removed.pid) on "
            + "\(shown(removed.host))) for '\(shown(removed.operation))' since \(UTCTimestamp.string(removed.created)).")
        if removed.staleness() == nil {
            console.line(console.style("warning:", .yellow) + " that holder may still be running; it stops with an error "
                + "before its next batch. Plan again before applying.", to: .err)
        }
        return .success
    }

    /// The PostgreSQL state when the manifests (or --state-backend) keep it there; nil for local files.
    /// Manifests that do not load leave the local lock reachable, unless PostgreSQL was asked for.
    static func sharedStore(_ context: CommandContext) throws -> PostgresStateStore? {
        let manifest: Manifest
        do {
            manifest = try ManifestLoader().load(directory: context.globals.manifests)
        } catch {
            if context.environment[StateBackendChoice.backendEnvironment] == StateSpec.Backend.postgres.rawValue { throw error }
            return nil
        }
        let backend = try StateBackendChoice.selected(manifest, statePath: context.globals.statePath, environment: context.environment)
        guard case .postgres(let store) = backend.place else { return nil }
        return store
    }
}
