import Foundation

/// `state/` is in git, so a symlink committed under it would turn a cache write or a prune into one outside the
/// state folder. Folders Recon writes or deletes in below the state folder are checked with `lstat`, component by
/// component: a link there is never followed. A missing component is fine (it is made as a real folder), and so is
/// a file (making or writing in the folder then fails as before).
public enum StateFolderGuard {
    /// The first component of `folder` strictly below `root` that is a symlink; nil when none is.
    /// A `folder` not spelled below `root` has only itself checked.
    public static func link(in folder: String, below root: String) -> String? {
        guard let below = PathBytes.relative(folder, below: root) else { return plain(folder) ? nil : folder }
        var current = root.utf8.last == UInt8(ascii: "/") ? String(decoding: root.utf8.dropLast(), as: UTF8.self) : root
        for component in PathBytes.components(below) where !PathBytes.equal(component, ".") {
            current += "/\(component)"
            var info = stat()
            guard lstat(current, &info) == 0 else { return nil }
            guard (info.st_mode & S_IFMT) != S_IFLNK else { return current }
        }
        return nil
    }

    /// True when `path` is missing or not a symlink.
    private static func plain(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) != 0 || (info.st_mode & S_IFMT) != S_IFLNK
    }

    /// True when no component of `folder` below `root` is a symlink: a cache there may be read and written.
    public static func isPlain(_ folder: String, below root: String) -> Bool {
        link(in: folder, below: root) == nil
    }

    /// Throws, naming the link, when a component of `folder` below `root` is a symlink.
    public static func require(_ folder: String, below root: String) throws {
        guard let link = link(in: folder, below: root) else { return }
        throw ReconError("refusing to write in \(ControlEscape.escaped(folder)): "
                            + "\(ControlEscape.escaped(link)) is a symlink",
                         hint: "folders under the state folder must be real folders, not links; nothing was written there")
    }
}
