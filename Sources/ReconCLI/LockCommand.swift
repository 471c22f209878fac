import Apply
import ReconCore

/// `recon lock`: who holds the lock on the state, read without taking it. For a person who finds an apply
/// blocked, and for scripts (exit 2 while held).
struct LockCommand: Command {
    static let configuration = CommandConfiguration(
        name: "lock",
        abstract: "Show who holds the lock on the state",
        usage: "recon lock [--format text|json]",
        discussion: """
            Reads the lock without taking it: the lease file state/.lock, or, with the state in PostgreSQL, the
            lease row of the target. Shows the holder (user@host), its pid and whether that process is alive
            on this host, the operation, the lease's age and expiry, and the lease id. A stale lease (expired,
            its process gone, or its PostgreSQL session ended) is broken by the next run; the exact
            'recon force-unlock ID' command that removes it now is shown. Exits 0 when the state is not locked,
            2 while a lease is there (held or stale), 1 on error.
            """,
        options: [OutputFormat.spec([.text, .json])],
        examples: ["recon lock", "recon lock --format json | jq .holder.pid", "recon lock || echo 'an apply is running'"])

    let format: OutputFormat

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.isEmpty else {
            throw ReconError("'lock' takes no arguments, found '\(ControlEscape.escaped(arguments.positionals[0]))'",
                             hint: "usage: recon lock [--format text|json]")
        }
        format = try OutputFormat.parse(arguments.value("format"), allowed: [.text, .json])
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let status = try Self.status(context)
        let view = LockView(console: context.console)
        switch format {
        case .json: context.console.write(view.json(status))
        default: context.console.write(view.text(status))
        }
        return status.isLocked ? .changes : .success
    }

    /// The lock of the backend the manifests (or --state-backend) name; the local lease when they do not load.
    static func status(_ context: CommandContext) throws -> LockStatus {
        if let store = try ForceUnlockCommand.sharedStore(context) { return try LockStatus.postgres(store) }
        return try LockStatus.local(path: RunLayout(stateDirectory: context.globals.stateDirectory).lockPath,
                                    statePath: context.globals.statePath)
    }
}
