import Manifest
import ReconCore
import Remote

/// Whether a table Recon did not create fits a manifest table, so it can be adopted. Pure.
///
/// It fits when it can be adopted at all (not virtual, has row handles, no `_recon_id` column yet), its key column
/// exists and holds the key's type, every row's key is non-empty text and no two rows share one, and every
/// declared field that is already a column holds the declared type. Declared fields it lacks are created after.
struct ForeignTableFit {
    let spec: TableSpec
    let foreign: ForeignTable
    /// Its rows as refresh read them; ids are row handles (`rowid N`).
    let rows: [RemoteRecord]

    /// At most this many offending rows or keys are named, so a broken table of a million rows gives a short message.
    static let shownLimit = 5

    /// Why it does not fit, each finding a short sentence; empty when it fits.
    var problems: [String] {
        if let reason = foreign.unadoptable { return [reason] }
        let key = spec.key.value
        var findings: [String] = []
        let keyType = spec.field(named: key)?.type.name ?? .singleLineText
        if column(key) == nil {
            findings.append("it has no key column '\(key)'")
        } else if !holds(key, keyType) {
            findings.append("its key column '\(key)' is not declared as text")
        } else {
            findings += keyProblems(column(key)!)
        }
        for field in spec.fields where field.name != key {
            guard let name = column(field.name), !holds(name, field.type.name) else { continue }
            findings.append("its column '\(name)' cannot hold \(field.type.name.rawValue)")
        }
        return findings
    }

    /// The declared fields already there as columns, key first: what adoption registers.
    var existingFields: [FieldSpec] {
        let present = spec.fields.filter { column($0.name) != nil }
        return present.filter { $0.name == spec.key.value } + present.filter { $0.name != spec.key.value }
    }

    /// The column of that name, compared by bytes as SQLite matches names.
    private func column(_ name: String) -> String? {
        foreign.columns.first { Array($0.utf8) == Array(name.utf8) }
    }

    private func holds(_ column: String, _ type: FieldType.Name) -> Bool {
        foreign.holds[column]?.contains(type) == true
    }

    /// Rows without a text key, and keys on more than one row, named by row.
    private func keyProblems(_ column: String) -> [String] {
        var missing: [String] = [], notText: [String] = []
        var rowsByKey: [String: [String]] = [:]
        for row in rows {
            switch row.fields[column] {
            case nil: missing.append(row.id)
            case .text(let key)?: rowsByKey[key, default: []].append(row.id)
            default: notText.append(row.id)
            }
        }
        var findings: [String] = []
        if !missing.isEmpty { findings.append("\(Self.shown(missing)) \(missing.count == 1 ? "has" : "have") no key (NULL or empty)") }
        if !notText.isEmpty { findings.append("\(Self.shown(notText)) \(notText.count == 1 ? "has a key" : "have keys") that \(notText.count == 1 ? "is" : "are") not text") }
        let repeated = rowsByKey.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
        for (key, ids) in repeated.prefix(Self.shownLimit) {
            findings.append("the key '\(key)' is on \(ids.count) rows (\(Self.shown(ids)))")
        }
        if repeated.count > Self.shownLimit { findings.append("\(repeated.count - Self.shownLimit) more keys are repeated") }
        return findings
    }

    private static func shown(_ ids: [String]) -> String {
        let listed = ids.prefix(shownLimit).joined(separator: ", ")
        return ids.count > shownLimit ? "\(listed) and \(ids.count - shownLimit) more" : listed
    }
}
