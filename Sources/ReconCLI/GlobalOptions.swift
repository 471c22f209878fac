import Foundation
import ReconCore
import State

/// Options every command accepts, before or after the command name.
public struct GlobalOptions: Sendable {
    public var manifests = GlobalOptions.defaultManifests
    public var noColor = false
    public var chdir: String?
    /// The state file; its folder holds the lock, runs, history and caches of this target.
    public var statePath = StateStore.defaultPath

    /// The folder of the state file: `state` by default.
    public var stateDirectory: String { (statePath as NSString).deletingLastPathComponent.isEmpty ? "." : (statePath as NSString).deletingLastPathComponent }
    /// Another Airtable base for this run; overrides RECON_AIRTABLE_BASE and the manifest's base.
    public var baseID: String?
    /// `local` or `postgres` for this run; overrides the manifests' `state: backend:`.
    public var stateBackend: String?

    public static let defaultManifests = "manifests"

    public static let specs: [OptionSpec] = [
        .option("manifests", short: "m", value: "DIR", help: "Directory of manifest files (default: manifests)"),
        .option("chdir", value: "DIR", help: "Switch to DIR before anything else; relative paths resolve against it"),
        .option("state", value: "FILE", help: "The state file (default: state/recon.state.json); its folder also holds the lock, runs and caches"),
        .option("base-id", value: "ID", help: "Work on this Airtable base instead of the manifest's (beats RECON_AIRTABLE_BASE); it gets its own state file"),
        .option("state-backend", value: "local|postgres", help: "Keep the state in local files or in PostgreSQL for this run (beats the manifests' state: block)"),
        .flag("no-color", help: "Plain output without colours (also when NO_COLOR is set or output is not a terminal)"),
        .flag("help", short: "h", help: "Show help for the command"),
    ]

    init(_ arguments: ParsedArguments) {
        if let manifests = arguments.value("manifests") { self.manifests = manifests }
        noColor = arguments.has("no-color")
        chdir = arguments.value("chdir")
        if let state = arguments.value("state") { statePath = state }
        baseID = arguments.value("base-id")
        stateBackend = arguments.value("state-backend")
    }

    init() {}
}
