import Foundation
import ReconCore

/// Read-only access to one git repository at a commit, a handful of git processes per repo:
/// `rev-parse` once, `ls-tree` once, `log` once for every file's last commit, `cat-file --batch` for blobs.
struct GitRepository: Sendable {
    let git: GitCommand

    init(directory: String, timeout: TimeInterval? = nil) {
        git = GitCommand(directory: directory, timeout: timeout)
    }

    /// The full commit id `ref` names (a branch, tag, `HEAD` or a commit id).
    func resolve(_ ref: String) throws(GitError) -> String {
        let out: [UInt8]
        do {
            out = try git.output(["rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"])
        } catch where error.message.hasPrefix("git exited") {
            // --quiet: an unknown ref fails silently; anything else (not a repo) has git's own message.
            throw GitError(arguments: ["rev-parse"], directory: git.directory, message: "'\(ref)' does not name a commit")
        }
        let commit = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard commit.count >= 40 else {
            throw GitError(arguments: ["rev-parse"], directory: git.directory, message: "'\(ref)' does not name a commit")
        }
        return commit
    }

    /// What besides the commit decides the history git shows (each file's last commit): "" for a full clone,
    /// else `shallow:` and the SHA-256 of the shallow boundary, which a fetch that deepens the clone moves.
    /// (Replace refs and grafts are switched off for every git process Recon runs: see `GitCommand.environment`.)
    func history() throws(GitError) -> String {
        let out = try git.output(["rev-parse", "--git-path", "shallow"])
        var path = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .newlines)
        if !path.hasPrefix("/") { path = (git.directory as NSString).appendingPathComponent(path) }
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return "" }
        return "shallow:" + SHA256.hex([UInt8](data))
    }

    /// The working tree's root directory (for `worktree: true`).
    func topLevel() throws(GitError) -> String {
        let out = try git.output(["rev-parse", "--show-toplevel"])
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    /// Every file of the tree at `commit`, with blob ids and sizes; nothing is read from the working tree.
    func tree(at commit: String) throws(GitError) -> [TreeEntry] {
        var entries: [TreeEntry] = []
        try git.stream(["ls-tree", "-r", "-z", "-l", "--full-tree", commit]) { reader in
            while let record = reader.read(until: 0) {
                // "<mode> <type> <object> <size>\t<path>"
                guard let tab = record.firstIndex(of: 0x09) else { continue }
                let head = GitRepository.fields(record[..<tab])
                guard head.count == 4 else { continue }
                let (path, valid) = PathName.decode(record[(tab + 1)...])
                if var entry = TreeEntry(mode: Substring(head[0]), path: path, object: head[2], size: Int(head[3]) ?? 0) {
                    if !valid { entry.nameProblem = .notUTF8 }
                    entries.append(entry)
                }
            }
            return true
        }
        for (index, shown) in PathName.twins(entries.map(\.path)) {
            entries[index].path = shown
            entries[index].nameProblem = .twin
        }
        return entries
    }

    /// Tracked and untracked (not ignored) paths of the working tree, as `git ls-files` lists them;
    /// names that cannot be keys are shown escaped (`PathName`) and also in `refused`.
    func worktreePaths(refused: inout [String: PathName.Problem]) throws(GitError) -> [String] {
        var paths: [String] = []
        // By bytes: twins are equal as Swift strings.
        var seen = Set<[UInt8]>()
        try git.stream(["ls-files", "-z", "--cached", "--others", "--exclude-standard"]) { reader in
            while let record = reader.read(until: 0) {
                guard !record.isEmpty, seen.insert(Array(record)).inserted else { continue }
                let (path, valid) = PathName.decode(record[...])
                if !valid { refused[path] = .notUTF8 }
                paths.append(path)
            }
            return true
        }
        for (index, shown) in PathName.twins(paths) {
            paths[index] = shown
            refused[shown] = .twin
        }
        return paths
    }

    /// Reads blobs in one `cat-file --batch` process, in the order given; `body` sees each as it arrives.
    func readBlobs(_ objects: [String], _ body: (Int, [UInt8]) throws -> Void) throws(GitError) {
        guard !objects.isEmpty else { return }
        let request = Array(objects.joined(separator: "\n").utf8) + [0x0A]
        try git.stream(["cat-file", "--batch"], input: { handle in try? handle.write(contentsOf: request) }) { reader in
            for index in objects.indices {
                guard let header = reader.read(until: 0x0A) else {
                    throw GitError(arguments: ["cat-file"], directory: git.directory, message: "output ended early")
                }
                // "<object> <type> <size>" or "<object> missing"
                let fields = GitRepository.fields(header[...])
                guard fields.count == 3, let size = Int(fields[2]), let bytes = reader.read(count: size) else {
                    throw GitError(arguments: ["cat-file"], directory: git.directory,
                                   message: "cannot read object \(objects[index]): \(String(decoding: header, as: UTF8.self))")
                }
                _ = reader.read(count: 1)
                try body(index, bytes)
            }
            return true
        }
    }

    /// The space-separated fields of a header git wrote (ASCII), split as bytes: splitting a `String` by
    /// `Character` was 7% of a cold plan's instructions, on the thread that feeds the parsers (issue 12).
    static func fields(_ header: ArraySlice<UInt8>) -> [String] {
        header.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
    }

    /// For each of `paths`, the newest commit reachable from `commit` that changed it, in one pass
    /// over `git log`; stops reading as soon as every path is found. Paths are compared as bytes: Swift strings
    /// equal NFC and NFD names, and any byte but NUL may start a path.
    func lastCommits(for paths: Set<String>, from commit: String) throws(GitError) -> [String: String] {
        var found: [String: String] = [:]
        guard !paths.isEmpty else { return found }
        found.reserveCapacity(paths.count)
        var wanted = Dictionary(paths.map { (Array($0.utf8), $0) }, uniquingKeysWith: { first, _ in first })
        var current = ""
        try walkLog(["--format=%x00%H", commit]) { header in
            current = String(decoding: header, as: UTF8.self)
            return true
        } path: { token in
            if let path = wanted.removeValue(forKey: token) {
                found[path] = current
                if wanted.isEmpty { return false }
            }
            return true
        }
        return found
    }

    /// Reads `git log -z --name-only` with a format that opens each commit with `%x00`: each commit starts with an
    /// empty field (no path is empty) and its format line, and its first path, if any, comes after a newline.
    /// `header` sees each format line and `path` each non-empty path, as bytes; either returns false to stop.
    func walkLog(_ arguments: [String], header: ([UInt8]) -> Bool, path: ([UInt8]) -> Bool) throws(GitError) {
        try git.stream(["log", "-z", "--name-only", "--no-renames", "--no-ext-diff", "--no-textconv",
                        "--no-show-signature"] + arguments) { reader in
            enum Next { case path, header, firstPath }
            var next = Next.path
            while var token = reader.read(until: 0) {
                switch next {
                case _ where token.isEmpty:
                    next = .header
                    continue
                case .header:
                    next = .firstPath
                    guard header(token) else { return false }
                    continue
                case .firstPath:
                    if token.first == 0x0A { token.removeFirst() }
                    next = .path
                case .path:
                    break
                }
                guard token.isEmpty || path(token) else { return false }
            }
            return true
        }
    }
}
