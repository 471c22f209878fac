import Manifest
import ReconCore
import Remote
import SQLiteBase

/// Opens the provider a manifest's target names. The only place that knows every provider.
public enum BaseConnector {
    /// `batchSize` lowers the provider's records per batch (never raises it).
    public static func open(_ target: TargetSpec, environment: [String: String], batchSize: Int? = nil) throws -> any BaseProvider {
        switch target.kind {
        case .sqlite(let database):
            let limit = min(batchSize ?? SQLiteBase.defaultMaxRecordsPerBatch, SQLiteBase.defaultMaxRecordsPerBatch)
            return SQLiteBase(path: database, maxRecordsPerBatch: max(1, limit))
        case .airtable:
            throw ReconError("the airtable provider is not available in this build",
                             hint: "use provider: sqlite, or a recon built with the Airtable provider")
        }
    }
}
