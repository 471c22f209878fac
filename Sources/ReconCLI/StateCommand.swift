import Apply
import Foundation
import Manifest
import ReconCore
import State

/// `recon state list [TABLE] | show KEY | pull`: reads the state wherever the manifests keep it. Writes nothing.
/// `recon state migrate --to BACKEND` moves it (`StateMigration`).
struct StateCommand: Command {
    static let configuration = CommandConfiguration(
        name: "state",
        abstract: "List, show or print the state (local or PostgreSQL)",
        usage: "recon state list [TABLE] | recon state show KEY [--table TABLE] | recon state pull | recon state migrate --to local|postgres",
        discussion: """
            Reads the state of the manifests' target from where the manifests (or --state-backend) keep it, and
            writes nothing. 'list' prints one line per managed record: table, key and record id, separated by
            tabs. 'show KEY' prints that record as JSON (its id and last-applied values). 'pull' prints the whole
            state as canonical JSON, the bytes of a local state file, e.g. to back it up or compare two states.
            No state is an error naming where it looked. 'migrate --to postgres' (or '--to local') copies the state,
            its history versions and the runs with their outcomes and backups to the other backend, under both
            locks, and checks counts and SHA-256 digests there before it reports; it refuses a destination that
            already holds another state for the target, keeps the source, and does not edit the manifests: it
            prints the 'state:' block to set.
            """,
        options: [.option("table", value: "TABLE", help: "With 'show': the table of KEY, when several tables have it"),
                  .option("to", value: "BACKEND", help: "With 'migrate': where the state goes, local or postgres"),
                  .option("lock-timeout", value: "DURATION", help: "With 'migrate': wait up to DURATION for the locks")],
        examples: ["recon state list Skills", "recon state show core:plugins/alpha/skills/one",
                   "recon state pull --state-backend postgres > state-backup.json", "recon state migrate --to postgres"],
        verbs: ["list", "show", "pull", "migrate"])

    enum Action: Equatable {
        case list(table: String?)
        case show(key: String)
        case pull
        case migrate(to: StateSpec.Backend)
    }

    let action: Action
    let table: String?
    let lockTimeout: Double?

    init(arguments: ParsedArguments) throws {
        let words = arguments.positionals
        table = arguments.value("table")
        switch (words.first, words.count) {
        case ("list", 1): action = .list(table: nil)
        case ("list", 2): action = .list(table: words[1])
        case ("show", 2): action = .show(key: words[1])
        case ("pull", 1): action = .pull
        case ("migrate", 1):
            guard let to = arguments.value("to") else {
                throw ReconError("'state migrate' needs --to local or --to postgres", hint: "usage: recon state migrate --to local|postgres")
            }
            guard let backend = StateSpec.Backend(rawValue: to) else {
                throw ReconError("invalid --to '\(ControlEscape.escaped(to))'",
                                 hint: "expected one of: " + StateSpec.Backend.allCases.map(\.rawValue).joined(separator: ", "))
            }
            action = .migrate(to: backend)
        case (nil, _): throw ReconError("'state' needs an action", hint: "usage: \(Self.configuration.usage)")
        default:
            throw ReconError("invalid 'state \(words.map { ControlEscape.escaped($0) }.joined(separator: " "))'",
                             hint: "usage: \(Self.configuration.usage)")
        }
        if table != nil, words.first != "show" { throw ReconError("--table applies only to 'state show'") }
        for flag in ["to", "lock-timeout"] where arguments.value(flag) != nil && words.first != "migrate" {
            throw ReconError("--\(flag) applies only to 'state migrate'")
        }
        lockTimeout = try arguments.value("lock-timeout").map { try DurationArgument.seconds($0, flag: "lock-timeout") }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        var manifest = try ManifestLoader().load(directory: context.globals.manifests)
        let statePath = try TargetSelection.apply(to: &manifest, environment: context.environment, statePath: context.globals.statePath)
        if case .migrate(let to) = action {
            let migration = try StateMigration(manifest, statePath: statePath, environment: context.environment, to: to,
                                               layout: RunLayout(stateDirectory: context.globals.stateDirectory))
            let report = try migration.run(target: manifest.target.identifier, wait: lockTimeout)
            context.console.write(StateMigrateView.text(report, spec: migration.destination.spec))
            return .success
        }
        let backend = try StateBackendChoice.resolve(manifest, statePath: statePath, environment: context.environment)
        guard let state = try backend.store.load(expectedTarget: manifest.target.identifier) else {
            throw ReconError(backend.noStateMessage, hint: StateBackendChoice.sharedStateHint)
        }
        let console = context.console
        switch action {
        case .migrate: break
        case .pull:
            // In chunks: the whole encoding and a string of it were 120 MB of a 100,000-record pull's peak (issue 12).
            StateCodec.encode(state, chunkSize: 1 << 20) { console.write($0) }
        case .list(let only):
            if let only, state.records[only] == nil {
                let known = Array(Set(state.records.keys).union(manifest.tables.map(\.name))).sorted()
                guard known.contains(only) else {
                    throw ReconError("no table '\(ControlEscape.escaped(only))' in the state or the manifests",
                                     hint: Suggestion.hint(only, among: known, known: "tables: " + known.joined(separator: ", ")))
                }
            }
            for name in state.records.keys.sorted() where only == nil || only == name {
                let records = state.records[name]!
                for key in records.keys.sorted() {
                    console.line("\(ControlEscape.escaped(name))\t\(ControlEscape.escaped(key))\t\(ControlEscape.escaped(records[key]!.id))")
                }
            }
        case .show(let key):
            let tables = state.records.keys.sorted().filter { (table == nil || table == $0) && state.records[$0]?[key] != nil }
            guard let found = tables.first else {
                let keys = state.records.values.flatMap(\.keys)
                throw ReconError("no record with key '\(ControlEscape.escaped(key))' in \(backend.location)",
                                 hint: Suggestion.didYouMean(key, in: keys) ?? "'recon state list' lists the keys in the state")
            }
            guard tables.count == 1 else {
                throw ReconError("key '\(ControlEscape.escaped(key))' is in several tables: \(tables.joined(separator: ", "))",
                                 hint: "name one with --table TABLE")
            }
            console.write(String(decoding: StateCodec.encodeRecord(state.records[found]![key]!, table: found, key: key), as: UTF8.self))
        }
        return .success
    }
}
