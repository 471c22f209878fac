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

    /// Above this many ids or keys a full listing costs fewer requests than filtering for them.
    static let filterLimit = 500
    /// Airtable refuses URLs over 16,000 characters; the formula rides in the URL, so chunks stay under this
    /// (airtable.js's own margin), leaving room for the `offset` of a later page.
    static let maxURLLength = 15_000

    /// The records with these ids, by `OR(RECORD_ID()='…', …)` in chunks; a full listing when there are many.
    /// Ids come from the state and the plan, which are input too, so they are quoted like any text.
    func records(ids: [String], of table: RemoteTable) throws(AirtableFailure) -> [RemoteRecord] {
        let wanted = Set(ids)
        guard wanted.count <= Self.filterLimit,
              let formulas = self.formulas(wanted.sorted().map { "RECORD_ID()='\(Self.escape($0))'" }, table: table) else {
            return try records(of: table).filter { wanted.contains($0.id) }
        }
        var records: [RemoteRecord] = []
        for formula in formulas {
            records += try list(table, filter: formula)
        }
        return records.filter { wanted.contains($0.id) }
    }

    /// The records whose text field `field` holds one of `keys`, by `OR({Field}='…', …)` in chunks as long as the
    /// URL allows; a full listing when there are many keys or the field's name cannot be put in braces.
    func records(keys: [String], field: String, of table: RemoteTable) throws(AirtableFailure) -> [RemoteRecord] {
        let wanted = Set(keys)
        guard wanted.count <= Self.filterLimit, !field.contains(where: { "{}\\".contains($0) }),
              let formulas = self.formulas(wanted.sorted().map { "{\(field)}='" + Self.escape($0) + "'" }, table: table) else {
            return try records(of: table).filter { Self.holds($0, field: field, oneOf: wanted) }
        }
        var records: [RemoteRecord] = []
        for formula in formulas {
            records += try list(table, filter: formula)
        }
        // The formula compares as Airtable does; keep only exact matches, as the upsert merges on them.
        return records.filter { Self.holds($0, field: field, oneOf: wanted) }
    }

    /// `terms` packed into `OR(…)` formulas whose listing URL stays within `maxURLLength` once percent-encoded;
    /// nil when one term alone is too long (a huge key): the caller lists the table instead.
    func formulas(_ terms: [String], table: RemoteTable) -> [String]? {
        let fixed = client.urlLength(path(table), query: query(table, filter: "OR()")) + 100
        var formulas: [String] = []
        var chunk: [String] = []
        var length = fixed
        for term in terms {
            let cost = AirtableClient.encode(term).count + 3
            guard fixed + cost <= Self.maxURLLength else { return nil }
            if !chunk.isEmpty, length + cost > Self.maxURLLength {
                formulas.append("OR(" + chunk.joined(separator: ",") + ")")
                chunk = []
                length = fixed
            }
            chunk.append(term)
            length += cost
        }
        if !chunk.isEmpty { formulas.append("OR(" + chunk.joined(separator: ",") + ")") }
        return formulas
    }

    /// Every page of a listing, optionally filtered by a formula: cells keyed by field id, readable fields only.
    private func list(_ table: RemoteTable, filter formula: String?) throws(AirtableFailure) -> [RemoteRecord] {
        let byID = Dictionary(uniqueKeysWithValues: Self.readable(table).map { ($0.id, $0) })
        let query = query(table, filter: formula)
        var records: [RemoteRecord] = []
        var offset: String?
        repeat {
            let page = try client.send("GET", path(table), query: query + (offset.map { [("offset", $0)] } ?? []))
            for json in page["records"]?.arrayValue ?? [] {
                if let record = Self.record(json, fields: byID) { records.append(record) }
            }
            offset = page["offset"]?.stringValue
        } while offset != nil
        return records
    }

    private func path(_ table: RemoteTable) -> String { "\(client.configuration.baseID)/\(table.id)" }

    private static func readable(_ table: RemoteTable) -> [RemoteField] {
        table.fields.filter { AirtableFieldCodec.isReadable($0.type) }
    }

    /// A listing's query: pages of 100, cells by field id, the readable fields only.
    private func query(_ table: RemoteTable, filter formula: String?) -> [(String, String)] {
        var query: [(String, String)] = [("pageSize", String(Self.pageSize)), ("returnFieldsByFieldId", "true")]
        if let formula { query.append(("filterByFormula", formula)) }
        return query + Self.readable(table).map { ("fields[]", $0.id) }
    }

    /// A string literal's body in a formula: backslash and quote escaped with a backslash, line breaks and tabs
    /// as Airtable's `\n` `\r` `\t`, so no key can end the literal early.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "'": escaped += "\\'"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    private static func holds(_ record: RemoteRecord, field: String, oneOf keys: Set<String>) -> Bool {
        if case .text(let key)? = record.fields[field]?.normalized { return keys.contains(key) }
        return false
    }

    /// A record from the API (cells keyed by field id) → fields by name; unknown ids are skipped.
    static func record(_ json: JSONValue, fields: [String: RemoteField]) -> RemoteRecord? {
        guard let id = json["id"]?.stringValue else { return nil }
        var values = FieldCells.Builder()
        for (key, cell) in json["fields"]?.objectValue ?? [:] {
            guard let field = fields[key], let value = AirtableFieldCodec.value(cell, type: field.type) else { continue }
            values.append(field.name, value)
        }
        return RemoteRecord(id: id, fields: values.cells())
    }
}
