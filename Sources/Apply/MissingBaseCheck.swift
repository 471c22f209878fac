import Foundation
import Manifest
import ReconCore
import Remote
import State

/// A SQLite base whose file is gone while the state holds records applied to it is an error, not a plan to
/// recreate them all: the file was more likely moved or lost than emptied on purpose. Building the base anew
/// is done deliberately, by starting from another state.
public enum MissingBaseCheck {
    public static func check(_ manifest: Manifest, state: StateModel?, statePath: String) throws {
        guard case .sqlite(let path) = manifest.target.kind, let state else { return }
        let count = state.records.values.reduce(0) { $0 + $1.count }
        guard count > 0, !FileManager.default.fileExists(atPath: path) else { return }
        throw ReconError("the SQLite base '\(ControlEscape.escaped(path))' does not exist, but the state holds \(count) record\(count == 1 ? "" : "s") applied to it",
                         hint: "restore the file (from a backup) and plan again; to build a new base from scratch instead, move the state "
                             + "file '\(ControlEscape.escaped(statePath))' aside or pass --state with a new file, then plan again. Nothing was written")
    }

    /// The same for a PostgreSQL base, once its schema is read: a base schema holding none of the tables the state
    /// recorded (dropped, emptied, or the URL names another database) while the state holds records.
    public static func check(_ manifest: Manifest, state: StateModel, schema: RemoteSchema, statePath: String) throws {
        guard case .postgres(let target) = manifest.target.kind else { return }
        let count = state.records.values.reduce(0) { $0 + $1.count }
        guard count > 0, !state.tables.isEmpty,
              !state.tables.contains(where: { schema.table(id: $0.value.id, named: $0.key) != nil }) else { return }
        let tables = state.tables.count
        throw ReconError("the PostgreSQL base schema '\(target.schema)' holds none of the \(tables) table\(tables == 1 ? "" : "s") the state recorded, "
                             + "but the state holds \(count) record\(count == 1 ? "" : "s") applied to them",
                         hint: "check that the URL names the right database, or restore the schema (from a backup) and plan again; to build a "
                             + "new base from scratch instead, move the state '\(ControlEscape.escaped(statePath))' aside or pass --state with a "
                             + "new file, then plan again. Nothing was written")
    }
}
