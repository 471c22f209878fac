import Manifest
import Plan
import ReconCore
import State

/// `drift`: refresh only, compared with the state. Reads no repo and writes nothing.
public struct DriftRunner {
    public var manifestDirectory: String
    public var statePath: String
    public var environment: [String: String]

    public init(manifestDirectory: String, statePath: String = StateStore.defaultPath, environment: [String: String]) {
        self.manifestDirectory = manifestDirectory
        self.statePath = statePath
        self.environment = environment
    }

    /// No state is an error naming where it looked: a drift check that finds nothing to compare must not pass.
    public func run() throws -> DriftReport {
        var manifest = try ManifestLoader().load(directory: manifestDirectory)
        let statePath = try TargetSelection.apply(to: &manifest, environment: environment, statePath: self.statePath)
        let backend = try StateBackendChoice.resolve(manifest, statePath: statePath, environment: environment)
        guard let state = try backend.store.load(expectedTarget: manifest.target.identifier) else {
            throw ReconError("\(backend.noStateMessage): nothing was applied from here, so there is nothing to compare the base with",
                             hint: StateBackendChoice.sharedStateHint)
        }
        try MissingBaseCheck.check(manifest, state: state, statePath: backend.location)
        let provider = try BaseConnector.open(manifest, environment: environment, statePath: statePath)
        let remote = try provider.refresh(manifest, state: state)
        return DriftDetector.detect(manifest: manifest, state: state, remote: remote)
    }
}
