import ReconCore

/// Paths inside a repo: `/`-separated, relative to the repo root, never leaving it. Split as bytes, as git does.
enum RepoPath {
    /// The folder holding `path`; "" for a file at the root.
    static func directory(of path: String) -> String {
        PathBytes.splitLast(path)?.head ?? ""
    }

    static func name(of path: String) -> String {
        PathBytes.splitLast(path)?.tail ?? path
    }

    /// `base` joined with the relative `path`, with `.` and `..` folded; nil when it climbs above
    /// the root or is absolute. The root itself is "".
    static func resolve(_ path: String, from base: String) -> String? {
        guard !PathBytes.isAbsolute(path) else { return nil }
        var parts = PathBytes.components(base)
        for part in PathBytes.components(path) {
            if PathBytes.equal(part, ".") { continue }
            if PathBytes.equal(part, "..") {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// True when `ancestor` (a directory, "" for the root) holds `path`.
    static func contains(_ ancestor: String, _ path: String) -> Bool {
        ancestor.isEmpty || PathBytes.isBelow(path, ancestor)
    }

    /// How an entity root reads in a key: the root directory itself is ".".
    static func display(_ path: String) -> String {
        path.isEmpty ? "." : path
    }
}
