import Foundation
import ReconCore
import Remote

/// Airtable's side of `ChangeTracking`: the server's clock and a fingerprint of the schema make the mark; a
/// later check costs one schema request and, per table, one `filterByFormula` request of at most one record for
/// anything created or modified since. Deletions leave no trace there, so a mark expires after a day.
struct AirtableChangeTracker {
    let client: AirtableClient
    /// The metadata answer `inspectSchema` got a moment ago, with no write since: used instead of asking again.
    var recent: AirtableSchemaReader.Answer?

    /// Taken off the server's `Date` (whole seconds, and possibly from another host than the one that stamps
    /// writes): an outsider's write up to a minute before the mark still counts as a change.
    static let margin: TimeInterval = 60
    /// Deletions are invisible to the filter: a full read at least once a day.
    static let fullRefreshAfter = 86_400
    private static let version = "airtable-v1"

    func mark(tables: [RemoteTable]) throws(AirtableFailure) -> ChangeMark? {
        guard let now = try schemaNow(), tables.allSatisfy({ now.primaryFields[$0.id] != nil }) else { return nil }
        let time = Self.iso(now.date.addingTimeInterval(-Self.margin))
        return ChangeMark(token: "\(Self.version) \(time) \(now.fingerprint)", fullRefreshAfter: Self.fullRefreshAfter)
    }

    func isUnchanged(since mark: ChangeMark, tables: [RemoteTable]) throws(AirtableFailure) -> Bool {
        let parts = mark.token.split(separator: " ").map(String.init)
        guard parts.count == 3, parts[0] == Self.version, let time = Self.date(parts[1]),
              let now = try schemaNow(), now.fingerprint == parts[2] else { return false }
        let age = now.date.timeIntervalSince(time) - Self.margin
        guard age >= 0, age < Double(mark.fullRefreshAfter ?? Self.fullRefreshAfter) else { return false }
        let formula = "OR(IS_AFTER(LAST_MODIFIED_TIME(),'\(parts[1])'),IS_AFTER(CREATED_TIME(),'\(parts[1])'))"
        for table in tables {
            guard let primary = now.primaryFields[table.id] else { return false }
            let page = try client.send("GET", "\(client.configuration.baseID)/\(table.id)",
                                       query: [("pageSize", "1"), ("filterByFormula", formula), ("fields[]", primary)])
            if page["records"]?.arrayValue?.isEmpty != true { return false }
        }
        return true
    }

    /// The schema as the server answers it now: its clock, the fingerprint, and each table's primary field id.
    private func schemaNow() throws(AirtableFailure) -> (date: Date, fingerprint: String, primaryFields: [String: String])? {
        let (json, date): (JSONValue, Date?)
        if let recent {
            (json, date) = (recent.json, recent.date)
        } else {
            (json, date) = try client.sendDated("GET", "meta/bases/\(client.configuration.baseID)/tables")
        }
        guard let date, let tables = json["tables"]?.arrayValue else { return nil }
        var primaryFields: [String: String] = [:]
        // Views are left out: they do not change what Recon reads, and their order is the UI's.
        let described = tables.map { table -> JSONValue in
            guard var object = table.objectValue else { return table }
            if let id = object["id"]?.stringValue, let primary = object["primaryFieldId"]?.stringValue { primaryFields[id] = primary }
            object["views"] = nil
            return .object(object)
        }
        return (date, SHA256.hex(JSONValue.array(described).canonicalBytes()), primaryFields)
    }

    private static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    private static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
