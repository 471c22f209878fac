/// Paths inside a repo: `/`-separated, relative to the repo root, never leaving it.
enum RepoPath {
    /// The folder holding `path`; "" for a file at the root.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `base` joined with the relative `path`, with `.` and `..` folded; nil when it climbs above
    /// the root or is absolute. The root itself is "".
    static func resolve(_ path: String, from base: String) -> String? {
        guard !path.hasPrefix("/") else { return nil }
        var parts = base.split(separator: "/").map(String.init)
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    /// True when `ancestor` (a directory, "" for the root) holds `path`.
    static func contains(_ ancestor: String, _ path: String) -> Bool {
        ancestor.isEmpty || path.hasPrefix(ancestor + "/")
    }

    /// How an entity root reads in a key: the root directory itself is ".".
    static func display(_ path: String) -> String {
        path.isEmpty ? "." : path
    }
}
