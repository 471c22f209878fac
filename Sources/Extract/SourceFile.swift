import ReconCore

/// A matched file's bytes as committed (or as in the working tree), with the commit that last changed it.
struct SourceFile: Sendable {
    var repo: String
    /// The matched path in the repo; for a followed symlink, the link's path.
    var path: String
    var bytes: [UInt8]
    var sourceCommit: String
    /// The blob read (for a followed symlink, the target's); empty for a working-tree file.
    var blob: String = ""
    /// Why the file's name cannot make a key (`path` is shown escaped): the file is refused.
    var nameProblem: PathName.Problem?

    /// Where diagnostics about this file point: `repo:path:line:column`.
    func location(line: Int = 1, column: Int = 1) -> SourceLocation {
        SourceLocation(file: "\(repo):\(path)", line: line, column: column)
    }

    /// Git's own test: a NUL byte in the first 8000 bytes means binary.
    var isBinary: Bool {
        bytes.prefix(8000).contains(0)
    }
}
