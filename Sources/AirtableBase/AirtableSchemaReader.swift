import Foundation
import ReconCore
import Remote

/// Reads tables and fields through the metadata API (`GET /v0/meta/bases/{base}/tables`).
struct AirtableSchemaReader {
    let client: AirtableClient

    /// One metadata answer: the schema, the body it came from and the server's clock, for a change check made
    /// right after it (`AirtableChangeTracker`), which would otherwise ask for the same answer again.
    struct Answer {
        var schema: RemoteSchema
        var json: JSONValue
        var date: Date?
        /// `ProcessInfo.systemUptime` when it arrived: a monotonic clock, so a wall-clock jump cannot make it look fresh.
        var receivedAt: TimeInterval
    }

    func schema() throws(AirtableFailure) -> RemoteSchema {
        try answer().schema
    }

    func answer() throws(AirtableFailure) -> Answer {
        let (json, date) = try client.sendDated("GET", "meta/bases/\(client.configuration.baseID)/tables")
        let tables = json["tables"]?.arrayValue?.compactMap(AirtableFieldCodec.table) ?? []
        return Answer(schema: RemoteSchema(tables: tables, capabilities: AirtableFieldCodec.capabilities), json: json, date: date,
                      receivedAt: ProcessInfo.processInfo.systemUptime)
    }
}
