import Foundation
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
        try list(table, filter: nil)
    }

    /// Ids per `filterByFormula` request: the formula rides in the URL, which must stay short.
    static let idsPerRequest = 50
    /// Above this many ids a full listing costs fewer requests than filtering for them.
    static let filterLimit = 500

    /// The records with these ids, by `OR(RECORD_ID()='…', …)` in chunks; a full listing when there are many.
    /// Ids come from the state and the plan, which are input too, so they are quoted like any text.
    func records(ids: [String], of table: RemoteTable) throws(AirtableFailure) -> [RemoteRecord] {
        let wanted = Set(ids)
        guard wanted.count <= Self.filterLimit else { return try records(of: table).filter { wanted.contains($0.id) } }
        var records: [RemoteRecord] = []
        let sorted = wanted.sorted()
        for start in stride(from: 0, to: sorted.count, by: Self.idsPerRequest) {
            let chunk = sorted[start..<min(start + Self.idsPerRequest, sorted.count)]
            let formula = "OR(" + chunk.map { "RECORD_ID()='\(Self.escape($0))'" }.joined(separator: ",") + ")"
            records += try list(table, filter: formula)
        }
        return records.filter { wanted.contains($0.id) }
    }

    /// Formula characters per request when filtering by key: keys are free text, so chunks go by length.
    static let formulaLength = 1_500

    /// The records whose text field `field` holds one of `keys`, by `OR({Field}='…', …)` in chunks; a full
    /// listing when there are many keys or the field's name cannot be put in braces.
    func records(keys: [String], field: String, of table: RemoteTable) throws(AirtableFailure) -> [RemoteRecord] {
        let wanted = Set(keys)
        guard wanted.count <= Self.filterLimit, !field.contains(where: { "{}\\".contains($0) }) else {
            return try records(of: table).filter { Self.holds($0, field: field, oneOf: wanted) }
        }
        var formulas: [String] = []
        var terms: [String] = []
        for key in wanted.sorted() {
            let term = "{\(field)}='" + Self.escape(key) + "'"
            if !terms.isEmpty, terms.reduce(term.count, { $0 + $1.count + 1 }) > Self.formulaLength {
                formulas.append("OR(" + terms.joined(separator: ",") + ")")
                terms = []
            }
            terms.append(term)
        }
        if !terms.isEmpty { formulas.append("OR(" + terms.joined(separator: ",") + ")") }
        var records: [RemoteRecord] = []
        for formula in formulas { records += try list(table, filter: formula) }
        // The formula compares as Airtable does; keep only exact matches, as the upsert merges on them.
        return records.filter { Self.holds($0, field: field, oneOf: wanted) }
    }

    /// Every page of a listing, optionally filtered by a formula: cells keyed by field id, readable fields only.
    private func list(_ table: RemoteTable, filter formula: String?) throws(AirtableFailure) -> [RemoteRecord] {
        let readable = table.fields.filter { AirtableFieldCodec.isReadable($0.type) }
        let byID = Dictionary(uniqueKeysWithValues: readable.map { ($0.id, $0) })
        var query: [(String, String)] = [("pageSize", String(Self.pageSize)), ("returnFieldsByFieldId", "true")]
        if let formula { query.append(("filterByFormula", formula)) }
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

    /// A string literal's body in a formula: backslash and quote escaped with a backslash.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }

    private static func holds(_ record: RemoteRecord, field: String, oneOf keys: Set<String>) -> Bool {
        if case .text(let key)? = record.fields[field]?.normalized { return keys.contains(key) }
        return false
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
