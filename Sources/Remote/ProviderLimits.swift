/// What a provider can take at once; apply sizes its batches and paces its requests by these.
public struct ProviderLimits: Hashable, Sendable {
    /// Most records one upsert, update or delete call accepts (Airtable: 10; SQLite: thousands).
    public var maxRecordsPerBatch: Int
    /// Requests per second the remote allows, or nil when it does not limit them.
    public var requestsPerSecond: Double?

    public init(maxRecordsPerBatch: Int, requestsPerSecond: Double? = nil) {
        self.maxRecordsPerBatch = maxRecordsPerBatch
        self.requestsPerSecond = requestsPerSecond
    }
}
