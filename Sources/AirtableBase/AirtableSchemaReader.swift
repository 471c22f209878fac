import ReconCore
import Remote

/// Reads tables and fields through the metadata API (`GET /v0/meta/bases/{base}/tables`).
struct AirtableSchemaReader {
    let client: AirtableClient

    func schema() throws(AirtableFailure) -> RemoteSchema {
        let json = try client.send("GET", "meta/bases/\(client.configuration.baseID)/tables")
        let tables = json["tables"]?.arrayValue?.compactMap(AirtableFieldCodec.table) ?? []
        return RemoteSchema(tables: tables, capabilities: AirtableFieldCodec.capabilities)
    }
}
