import Manifest
import ReconCore
import State

/// Which base a run works on, and which state file belongs to it. `--base-id ID` (the CLI
/// copies it into `RECON_AIRTABLE_BASE`) beats the environment, which beats the manifest, so a dev
/// base is chosen without editing manifests. The state follows the base: another base than the
/// manifest's gets its own state file beside the default, so a dev run never reads or writes the
/// production state (and the state's target check refuses any mix-up that remains).
public struct TargetSelection: Sendable, Equatable {
    /// The environment variable that selects another Airtable base.
    public static let baseEnvironment = "RECON_AIRTABLE_BASE"

    public var target: TargetSpec
    public var statePath: String

    /// Resolves the target and state path for a manifest's target. `statePath` is kept when the
    /// base is the manifest's or when the caller chose a non-default path itself.
    public static func resolve(_ declared: TargetSpec, environment: [String: String],
                               statePath: String = StateStore.defaultPath) throws -> TargetSelection {
        guard let chosen = environment[baseEnvironment], !chosen.isEmpty else {
            return TargetSelection(target: PostgresAddressing.addressed(declared, environment: environment), statePath: statePath)
        }
        guard case .airtable(var airtable) = declared.kind else {
            throw ReconError("--base-id (or \(baseEnvironment)) selects an Airtable base, but the manifests target \(declared.provider.rawValue)",
                             hint: "unset \(baseEnvironment), or target provider: airtable")
        }
        guard AirtableTarget.isBaseID(chosen) else {
            throw ReconError("invalid Airtable base id '\(chosen)' from --base-id or \(baseEnvironment)",
                             hint: "expected 'app' followed by 14 letters or digits, as in the base's URL")
        }
        guard chosen != airtable.base else { return TargetSelection(target: declared, statePath: statePath) }
        airtable.base = chosen
        let path = statePath == StateStore.defaultPath ? Self.statePath(forBase: chosen) : statePath
        return TargetSelection(target: TargetSpec(.airtable(airtable), at: declared.location), statePath: path)
    }

    /// `state/recon.<base>.state.json`: its own journal and history, never the default file.
    public static func statePath(forBase base: String) -> String {
        let stem = StateStore.defaultPath.hasSuffix(".state.json") ? String(StateStore.defaultPath.dropLast(11)) : "state/recon"
        return "\(stem).\(base).state.json"
    }

    /// The manifest with its target replaced by the chosen one, and the state path to use (its placement checked).
    public static func apply(to manifest: inout Manifest, environment: [String: String],
                             statePath: String = StateStore.defaultPath) throws -> String {
        let selection = try resolve(manifest.target, environment: environment, statePath: statePath)
        manifest.target = selection.target
        try StatePlacement.check(manifest, statePath: selection.statePath)
        return selection.statePath
    }
}
