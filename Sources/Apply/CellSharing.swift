import Manifest
import ReconCore
import Remote
import State

/// Gives each copy of a record the storage of an equal copy already held (issue 12, goal 5): a full-path plan or drift
/// check holds every record as desired, as the state recorded it and as the base holds it, and each was read on its
/// own (the no-op plan at 100,000 records peaked at 362 MiB with three copies of every value). Byte for byte
/// (`FieldCells.sharingStorage`), so no reader and no writer can tell.
enum CellSharing {
    /// The state's values take the desired records' storage where they are the same bytes (a record applied as desired).
    static func share(_ state: inout StateModel, with desired: [DesiredRecord]) {
        // Table by table, each taken out so its records are edited in place, each found once.
        for name in Array(state.records.keys) {
            guard var records = state.records.removeValue(forKey: name) else { continue }
            // A record whose cells are still in their verified bytes is left so (`fieldsAreEncoded`): reading them decodes.
            for record in desired where record.table == name && !record.fieldsAreEncoded {
                guard let index = records.index(forKey: record.key) else { continue }
                let held = records.values[index].values
                // Read from the cache, it took the state's storage already (`HeldCells`).
                guard !held.sharesStorage(with: record.fields) else { continue }
                records.values[index].values = held.sharingStorage(with: record.fields)
            }
            state.records[name] = records
        }
    }

    /// Refresh's sharing (`BaseProvider.snapshot(tables:ids:sharing:)`): a record read from a table the state holds
    /// takes, from the state's record under its key, the storage of its id, its key and every value of the same bytes.
    static func remote(from state: StateModel, manifest: Manifest) -> (String) -> ((inout RemoteRecord) -> Void)? {
        { name in
            guard let records = state.records[name], !records.isEmpty, let keyName = manifest.table(named: name)?.key.value else {
                return nil
            }
            return { record in
                guard case .text(let key)? = record.fields[keyName], let index = records.index(forKey: key) else { return }
                let (heldKey, held) = records[index]
                record.fields = record.fields.sharingStorage(with: held.values)
                if held.id.hasSameUTF8(as: record.id) { record.id = held.id }
                if key.utf8.count > 15, heldKey.hasSameUTF8(as: key) { record.fields[keyName] = .text(heldKey) }
            }
        }
    }
}
