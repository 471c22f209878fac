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

    /// Nil when nothing was applied yet, so nothing can have drifted.
    public func run() throws -> DriftReport? {
        var manifest = try ManifestLoader().load(directory: manifestDirectory)
        let statePath = try TargetSelection.apply(to: &manifest, environment: environment, statePath: self.statePath)
        guard let state = try StateStore(path: statePath).load(expectedTarget: manifest.target.identifier) else { return nil }
        try MissingBaseCheck.check(manifest, state: state, statePath: statePath)
        let provider = try BaseConnector.open(manifest, environment: environment, statePath: statePath)
        let remote = try provider.refresh(manifest, state: state)
        return DriftDetector.detect(manifest: manifest, state: state, remote: remote)
    }
}
