import Foundation

/// The one door for deleting anything: a path is removed only when it lies strictly inside the
/// folder it belongs to. Symlinks in its parent are resolved first, so neither `..`, nor a name
/// that is empty, nor a link to elsewhere can turn a cleanup into deleting the state folder.
/// The last component itself is not followed: removing a symlink removes the link, not its target.
public enum SafeRemoval {
    /// Removes the file, link or folder (recursively) at `path`; true when something was removed,
    /// false when nothing was there. Throws, removing nothing, unless `path` is strictly inside `root`.
    @discardableResult
    public static func remove(_ path: String, inside root: String) throws -> Bool {
        guard let resolved = try contained(path, inside: root) else { return false }
        var info = stat()
        guard lstat(resolved, &info) == 0 else {
            if errno == ENOENT { return false }
            throw failure(path, String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            do {
                try FileManager.default.removeItem(atPath: resolved)
            } catch {
                throw failure(path, error.localizedDescription)
            }
        } else if unlink(resolved) != 0, errno != ENOENT {
            throw failure(path, String(cString: strerror(errno)))
        }
        return true
    }

    /// `path` with its parent's symlinks resolved, when it lies strictly inside `root` (also resolved);
    /// nil when its parent or `root` does not exist (nothing to remove). Throws when it lies elsewhere.
    public static func contained(_ path: String, inside root: String) throws -> String? {
        let name = (path as NSString).lastPathComponent
        let parent = (path as NSString).deletingLastPathComponent
        guard !path.hasSuffix("/"), !name.isEmpty, name != ".", name != ".." else {
            throw refusal(path, root)
        }
        guard let realRoot = realPath(root) else { return nil }
        guard let realParent = realPath(parent.isEmpty ? "." : parent) else { return nil }
        guard PathBytes.equal(realParent, realRoot) || PathBytes.isBelow(realParent, realRoot) else {
            throw refusal(path, root)
        }
        return PathBytes.equal(realParent, "/") ? "/\(name)" : "\(realParent)/\(name)"
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func refusal(_ path: String, _ root: String) -> ReconError {
        ReconError("refusing to remove '\(path)': it is not strictly inside '\(root)'",
                   hint: "this is a bug or a hostile name; nothing was removed")
    }

    private static func failure(_ path: String, _ reason: String) -> ReconError {
        ReconError("cannot remove \(path): \(reason)")
    }
}
