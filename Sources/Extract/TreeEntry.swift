/// One file of a repo's tree at a commit, as `git ls-tree -r -l` lists it.
struct TreeEntry: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case file
        case executable
        case symlink
    }

    var path: String
    var kind: Kind
    /// The blob id; for a working-tree file, empty (the file is read from disk).
    var object: String
    var size: Int
    /// Why the name cannot make a key (`PathName`); `path` is then shown escaped.
    var nameProblem: PathName.Problem?

    /// Git modes map to kinds; trees and submodules (gitlinks) are not files and are dropped.
    init?(mode: Substring, path: String, object: String, size: Int) {
        switch mode {
        case "100644", "100664": kind = .file
        case "100755": kind = .executable
        case "120000": kind = .symlink
        default: return nil
        }
        self.path = path
        self.object = object
        self.size = size
    }

    init(path: String, kind: Kind, object: String, size: Int) {
        self.path = path
        self.kind = kind
        self.object = object
        self.size = size
    }
}
