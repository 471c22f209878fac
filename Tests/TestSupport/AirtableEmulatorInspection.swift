import Foundation
import ReconCore

/// What tests read and change directly, as a person would in the Airtable UI: no rate limit, no
/// log entry, no validation beyond finding the table and field.
extension AirtableEmulator {
    /// Table names of a base, in creation order.
    public func tableNames(_ baseID: String) -> [String] {
        lock.withLock { bases[baseID]?.tables.map(\.name) ?? [] }
    }

    /// A table's fields (copies).
    public func fields(_ baseID: String, table: String) -> [EmulatedField] {
        lock.withLock { bases[baseID]?.table(table)?.fields ?? [] }
    }

    /// A table's records, cells by field name plus `"id"`.
    public func records(_ baseID: String, table: String) -> [[String: JSONValue]] {
        lock.withLock {
            guard let table = bases[baseID]?.table(table) else { return [] }
            return table.records.map { record in
                var row: [String: JSONValue] = ["id": .string(record.id)]
                for field in table.fields { if let value = record.cells[field.id] { row[field.name] = value } }
                return row
            }
        }
    }

    /// Sets (or with nil, empties) one cell by field name.
    public func editCell(_ baseID: String, table: String, record: String, field: String, to value: JSONValue?) {
        lock.withLock {
            guard let table = bases[baseID]?.table(table), let index = table.index(of: record),
                  let field = table.field(field) else { return }
            table.records[index].cells[field.id] = value
            table.records[index].modifiedTime = now
        }
    }

    public func deleteRecord(_ baseID: String, table: String, record: String) {
        lock.withLock {
            guard let base = bases[baseID], let table = base.table(table) else { return }
            table.records.removeAll { $0.id == record }
            unlink([record], in: base)
        }
    }

    /// Adds a record with cells by field name; returns its id.
    @discardableResult
    public func insertRecord(_ baseID: String, table: String, cells: [String: JSONValue]) -> String {
        lock.withLock {
            let id = EmulatorIDs.make("rec")
            guard let table = bases[baseID]?.table(table) else { return id }
            var stored: [String: JSONValue] = [:]
            for (name, value) in cells { if let field = table.field(name) { stored[field.id] = value } }
            table.records.append(EmulatedRecord(id: id, createdTime: EmulatorRules.outputFormatter.string(from: now), cells: stored))
            return id
        }
    }

    public func renameField(_ baseID: String, table: String, field: String, to name: String) {
        lock.withLock {
            guard let table = bases[baseID]?.table(table), let index = table.fields.firstIndex(where: { $0.name == field }) else { return }
            table.fields[index].name = name
        }
    }

    /// Renames a table, as someone would in the UI; its id and records stay.
    public func renameTable(_ baseID: String, table: String, to name: String) {
        lock.withLock { bases[baseID]?.table(table)?.name = name }
    }

    /// Adds a field of any type (formula, rollup...), as only the UI can.
    public func addField(_ baseID: String, table: String, name: String, type: String, options: JSONValue? = nil) {
        lock.withLock {
            bases[baseID]?.table(table)?.fields.append(
                EmulatedField(id: EmulatorIDs.make("fld"), name: name, type: type, description: nil, options: options))
        }
    }

    /// Makes a table directly: first field primary, types as given (name → type, in order).
    @discardableResult
    public func addTable(_ baseID: String, name: String, fields: [(String, String)]) -> String {
        lock.withLock {
            let table = EmulatedTable(id: EmulatorIDs.make("tbl"), name: name, description: nil, fields: fields.map {
                EmulatedField(id: EmulatorIDs.make("fld"), name: $0.0, type: $0.1, description: nil, options: nil)
            })
            bases[baseID]?.tables.append(table)
            return table.id
        }
    }
}
