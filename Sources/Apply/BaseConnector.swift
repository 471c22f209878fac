import Manifest
import ReconCore
import Remote
import SQLiteBase

/// Opens the provider a manifest's target names. The only place that knows every provider.
public enum BaseConnector {
    public static func open(_ target: TargetSpec, environment: [String: String]) throws -> any BaseProvider {
        switch target.kind {
        case .sqlite(let database):
            return SQLiteBase(path: database)
        case .airtable:
            throw ReconError("the airtable provider is not available in this build",
                             hint: "use provider: sqlite, or a recon built with the Airtable provider")
        }
    }
}
