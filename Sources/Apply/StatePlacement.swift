import Manifest
import ReconCore
import State

/// Where a run's files may go, checked before the lock, a cache or the base is touched, so a refused
/// run leaves no trace. The state folder holds Recon's own files (the state and journals, history/,
/// runs/, cache/, repos/, the lock): a database among them was deleted by the journal fold or replaced
/// by a cache. A state folder inside a source repo would write the lock and caches into its work tree.
public enum StatePlacement {
    public static func check(_ manifest: Manifest, statePath: String) throws {
        let folder = PathRule.resolved(PrivateFile.directoryOf(statePath))
        for repo in manifest.repos {
            guard case .path(let path) = repo.source, PathRule.isWithin(folder, PathRule.resolved(path)) else { continue }
            throw ReconError("the state folder '\(ControlEscape.escaped(PrivateFile.directoryOf(statePath)))' is inside repo '\(repo.name)' (\(repo.location))",
                             hint: "keep the state outside the source repos: give --state a file in another folder; nothing was written")
        }
        guard case .sqlite(let database) = manifest.target.kind else { return }
        if isReconsOwn(database, statePath: statePath) {
            let at = manifest.target.location.map { "\($0): " } ?? ""
            throw ReconError("\(at)the database '\(ControlEscape.escaped(database))' is among Recon's own files in the state folder",
                             hint: "name a file directly in the state folder (e.g. state/catalog.sqlite) or outside it; the state, "
                                 + "journals, the lock and the folders in it belong to Recon; nothing was written")
        }
    }

    /// Whether `path` is the state, its journal, or a path below the state folder that Recon writes
    /// itself: anything in a subfolder, hidden files (the lock, temporary files), and the state and
    /// journal files of every base.
    public static func isReconsOwn(_ path: String, statePath: String) -> Bool {
        let resolved = PathRule.resolved(path)
        if [statePath, StateStore(path: statePath).journalPath].map(PathRule.resolved).contains(resolved) { return true }
        let folder = PathRule.resolved(PrivateFile.directoryOf(statePath))
        guard resolved != folder, PathRule.isWithin(resolved, folder) else { return false }
        let relative = resolved.dropFirst(folder.hasSuffix("/") ? folder.count : folder.count + 1)
        return relative.contains("/") || relative.hasPrefix(".") || relative.hasSuffix(".state.json") || relative.hasSuffix(".journal")
    }
}
