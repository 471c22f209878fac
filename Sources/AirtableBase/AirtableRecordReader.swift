import ReconCore
import Remote

/// Lists a table's records: pages of 100 following the offset token, cells keyed by field id
/// (`returnFieldsByFieldId`) so a field renamed in the Airtable UI still maps to the same field,
/// and only the fields Recon can read (`fields[]`).
struct AirtableRecordReader {
    let client: AirtableClient

    /// Airtable's largest page.
    static let pageSize = 100

    func records(of table: RemoteTable) throws(AirtableFailure) -> [RemoteRecord] {
        let readable = table.fields.filter { AirtableFieldCodec.isReadable($0.type) }
        let byID = Dictionary(uniqueKeysWithValues: readable.map { ($0.id, $0) })
        var query: [(String, String)] = [("pageSize", String(Self.pageSize)), ("returnFieldsByFieldId", "true")]
        query += readable.map { ("fields[]", $0.id) }
        var records: [RemoteRecord] = []
        var offset: String?
        repeat {
            let page = try client.send("GET", "\(client.configuration.baseID)/\(table.id)",
                                       query: query + (offset.map { [("offset", $0)] } ?? []))
            for json in page["records"]?.arrayValue ?? [] {
                if let record = Self.record(json, fields: byID) { records.append(record) }
            }
            offset = page["offset"]?.stringValue
        } while offset != nil
        return records
    }

    /// A record from the API (cells keyed by field id) → fields by name; unknown ids are skipped.
    static func record(_ json: JSONValue, fields: [String: RemoteField]) -> RemoteRecord? {
        guard let id = json["id"]?.stringValue else { return nil }
        var values: [String: FieldValue] = [:]
        for (key, cell) in json["fields"]?.objectValue ?? [:] {
            guard let field = fields[key], let value = AirtableFieldCodec.value(cell, type: field.type) else { continue }
            values[field.name] = value
        }
        return RemoteRecord(id: id, fields: values)
    }
}
