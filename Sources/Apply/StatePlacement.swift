import Foundation
import Manifest
import ReconCore
import State

/// Where a run's files may go, checked before the lock, a cache or the base is touched, so a refused
/// run leaves no trace. The state folder holds Recon's own files (the state and journals, history/,
/// runs/, cache/, repos/, the lock): a database among them was deleted by the journal fold or replaced
/// by a cache. A `--state` naming a file that is not a state (a source file) is refused before anything is
/// written beside it. A state folder inside a repo is allowed: a project may catalog its own repo (`path: .`).
public enum StatePlacement {
    public static func check(_ manifest: Manifest, statePath: String) throws {
        if let problem = notAState(statePath) {
            throw ReconError("--state '\(ControlEscape.escaped(statePath))' \(problem)",
                             hint: "give --state a state file of Recon's, or a path where none exists yet; nothing was written")
        }
        guard case .sqlite(let database) = manifest.target.kind else { return }
        if isReconsOwn(database, statePath: statePath) {
            let at = manifest.target.location.map { "\($0): " } ?? ""
            throw ReconError("\(at)the database '\(ControlEscape.escaped(database))' is among Recon's own files in the state folder",
                             hint: "name a file directly in the state folder (e.g. state/catalog.sqlite) or outside it; the state, "
                                 + "journals, the lock and the folders in it belong to Recon; nothing was written")
        }
    }

    /// Why the file at `path` cannot be a state file Recon wrote (a folder, or a file that does not open
    /// the way every state does), or nil: checked before the lock is taken, so pointing `--state` at a source file
    /// writes nothing beside it. The full check is the state loader's.
    static func notAState(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return "is not a file" }
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 512)) ?? Data()
        // A state is canonical JSON with sorted keys, so it opens with `{` and its first key, "lineage".
        let bytes = head.filter { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if bytes.isEmpty { return nil }
        return bytes.starts(with: Array(#"{"lineage""#.utf8)) ? nil : "is a file that is not a Recon state"
    }

    /// Whether `path` is the state, its journal, or a path below the state folder that Recon writes
    /// itself: anything in a subfolder, hidden files (the lock, temporary files), and the state and
    /// journal files of every base.
    public static func isReconsOwn(_ path: String, statePath: String) -> Bool {
        let resolved = PathRule.resolved(path)
        let own = [statePath, StateStore(path: statePath).journalPath].map(PathRule.resolved)
        if own.contains(where: { PathBytes.equal($0, resolved) }) { return true }
        let folder = PathRule.resolved(PrivateFile.directoryOf(statePath))
        guard let relative = PathBytes.relative(resolved, below: folder), !relative.isEmpty else { return false }
        return PathBytes.splitFirst(relative) != nil || relative.utf8.first == UInt8(ascii: ".") || relative.hasSuffix(".state.json") || relative.hasSuffix(".journal")
    }
}
