import Foundation
import Manifest
import ReconCore
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
}
