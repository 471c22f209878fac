import Manifest
import ReconCore
import Remote

/// No state, but the base already holds records with the manifests' keys: most likely this clone is not
/// looking at the state that made them (a shared state not configured, a file lost), and planning would take
/// them over silently. A first run on an empty base is fine; taking over a base is asked for with
/// `--allow-empty-state`. Pure: it reads only what planning already read.
public enum EmptyStateCheck {
    public static func check(_ manifest: Manifest, desired: [DesiredRecord], remote: RemoteSnapshot, noStateMessage: String) throws {
        // A table Recon did not create (being adopted) holds nothing Recon made: no lost state can explain it. Only
        // the tables that hold records are looked at: on a first run into an empty base, none (100,000 keys were
        // hashed for nothing; issue 12).
        let holding = Set(manifest.tables.map(\.name).filter {
            !(remote.records[$0]?.isEmpty ?? true) && remote.schema.foreignTable(named: $0) == nil
        })
        guard !holding.isEmpty else { return }
        var keys: [String: Set<String>] = [:]
        for record in desired where holding.contains(record.table) { keys[record.table, default: []].insert(record.key) }
        var found = 0
        var example: String?
        for table in manifest.tables {
            guard let wanted = keys[table.name] else { continue }
            for record in remote.records[table.name] ?? [] {
                guard case .text(let key)? = record.fields[table.key.value], wanted.contains(key) else { continue }
                found += 1
                if example == nil { example = "\(table.name) \(key)" }
            }
        }
        guard found > 0, let example else { return }
        throw ReconError("\(noStateMessage), but the base \(manifest.target.identifier) already holds \(found) record\(found == 1 ? "" : "s") "
            + "with the manifests' keys (e.g. \(ControlEscape.escaped(example)))",
            hint: StateBackendChoice.sharedStateHint + "; to take these records over on purpose, plan with --allow-empty-state. Nothing was written")
    }
}
