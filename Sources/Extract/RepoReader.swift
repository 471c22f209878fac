import Foundation
import Manifest
import ReconCore

/// Reads the files of one repo that some rule wants: from the tree at the resolved commit,
/// or from the working tree when the manifest says `worktree: true`.
///
/// Symlinks are followed only inside the repo; binary and oversized files are skipped with a note.
struct RepoReader {
    let name: String
    let repository: GitRepository
    let limits: ExtractLimits

    /// A readable file answered without reading it: its path, the blob that would be read (for a
    /// followed symlink, the target's) and its last commit.
    struct Reused {
        var path: String
        var blob: String
        var sourceCommit: String
        /// Why the name cannot make a key now (`TreeEntry.nameProblem`).
        var nameProblem: PathName.Problem?
    }

    /// Calls `body` for every wanted, readable file, binary ones included (`SourceFile.isBinary`);
    /// returns the notes and warnings for the rest. In the tree at a commit, `reuse` is asked first
    /// for each readable file: when it returns true the blob is not read and `body` not called.
    /// Either way the files come in tree order. `listed` sees the wanted tree entries (never in a working tree).
    /// With `only`, readable files at other paths are neither read nor given a last commit (`RepoDelta`).
    /// With `tree`, those entries stand for the tree at `commit` (a delta's changed paths, without symlinks).
    func read(commit: String, worktree: Bool, wanted: (String) -> Bool, reuse: (Reused) -> Bool = { _ in false },
              only: Set<String>? = nil, tree: [TreeEntry]? = nil, listed: ([TreeEntry]) -> Void = { _ in },
              _ body: (SourceFile) throws -> Void) throws -> [Diagnostic] {
        worktree
            ? try readWorktree(head: commit, wanted: wanted, body)
            : try readCommitted(commit: commit, wanted: wanted, reuse: reuse, only: only, tree: tree, listed: listed, body)
    }

    private func readCommitted(commit: String, wanted: (String) -> Bool, reuse: (Reused) -> Bool, only: Set<String>?, tree: [TreeEntry]?,
                               listed: ([TreeEntry]) -> Void, _ body: (SourceFile) throws -> Void) throws -> [Diagnostic] {
        var notes: [Diagnostic] = []
        let entries = try tree ?? repository.tree(at: commit)
        let byPath = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let matched = entries.filter { wanted($0.path) }
        listed(matched)

        // Symlink targets are blobs too; read them all first to know what each link points at.
        let links = matched.filter { $0.kind == .symlink }
        var targets: [String: String] = [:]
        try repository.readBlobs(links.map(\.object)) { index, bytes in
            targets[links[index].object] = String(decoding: bytes, as: UTF8.self)
        }
        var readable: [(path: String, entry: TreeEntry)] = []
        for entry in matched {
            var current = entry
            var hops = 0
            while current.kind == .symlink, hops < limits.symlinkHops {
                let target = targets[current.object] ?? ""
                guard let resolved = RepoPath.resolve(target, from: RepoPath.directory(of: current.path)) else {
                    notes.append(.warning(at: location(entry.path), "symlink to '\(target)' leaves the repo; not followed"))
                    break
                }
                guard let next = byPath[resolved] else {
                    notes.append(.note(at: location(entry.path), "symlink to '\(target)' points at no file of the tree; skipped"))
                    break
                }
                if next.kind == .symlink, targets[next.object] == nil {
                    try repository.readBlobs([next.object]) { _, bytes in targets[next.object] = String(decoding: bytes, as: UTF8.self) }
                }
                current = next
                hops += 1
            }
            guard current.kind != .symlink else {
                if hops == limits.symlinkHops { notes.append(.note(at: location(entry.path), "symlink chain longer than \(limits.symlinkHops); skipped")) }
                continue
            }
            guard current.size <= limits.maximumFileSize else {
                notes.append(oversized(entry.path, size: current.size))
                continue
            }
            readable.append((entry.path, current))
        }
        if let only { readable = readable.filter { only.contains($0.path) } }
        // Every readable path's last commit, reused or not: a file changed and reverted keeps its blob but not its commit.
        let commits = try repository.lastCommits(for: Set(readable.map(\.path)), from: commit)
        let toRead = readable.filter { path, entry in
            !reuse(Reused(path: path, blob: entry.object, sourceCommit: commits[path] ?? commit, nameProblem: entry.nameProblem))
        }
        try repository.readBlobs(toRead.map(\.entry.object)) { index, bytes in
            let (path, entry) = toRead[index]
            try body(SourceFile(repo: name, path: path, bytes: bytes, sourceCommit: commits[path] ?? commit, blob: entry.object,
                                nameProblem: entry.nameProblem))
        }
        return notes
    }

    private func readWorktree(head: String, wanted: (String) -> Bool, _ body: (SourceFile) throws -> Void) throws -> [Diagnostic] {
        var notes: [Diagnostic] = []
        let root = URL(fileURLWithPath: try repository.topLevel()).resolvingSymlinksInPath().path
        var refused: [String: PathName.Problem] = [:]
        let paths = try repository.worktreePaths(refused: &refused).filter(wanted).sorted()
        var readable: [(path: String, full: String)] = []
        var escapes: [String: (link: String, target: String)?] = [:]
        for path in paths {
            // No file on disk has the escaped name; the extractor refuses it by name.
            if let problem = refused[path] {
                try body(SourceFile(repo: name, path: path, bytes: [], sourceCommit: head, nameProblem: problem))
                continue
            }
            let full = root + "/" + path
            let folder = RepoPath.directory(of: path)
            if escapes[folder] == nil { escapes[folder] = .some(RepoReader.escape(folder, root: root)) }
            if let (link, target) = escapes[folder]! {
                notes.append(.warning(at: location(path), "directory '\(link)' is a symlink to '\(target)', which leaves the repo; not read"))
                continue
            }
            var info = stat()
            guard lstat(full, &info) == 0 else { continue }  // deleted but not yet committed
            if (info.st_mode & S_IFMT) == S_IFLNK {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? ""
                let real = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
                // Checked as written and as resolved: a dangling link that climbs out is refused too.
                let inside = PathBytes.isAbsolute(target) ? PathBytes.isBelow(target, root)
                    : RepoPath.resolve(target, from: RepoPath.directory(of: path)) != nil
                guard inside, PathBytes.isBelow(real, root) else {
                    notes.append(.warning(at: location(path), "symlink to '\(target)' leaves the repo; not followed"))
                    continue
                }
                guard stat(real, &info) == 0 else {
                    notes.append(.note(at: location(path), "symlink points at no file; skipped"))
                    continue
                }
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else { continue }
            guard Int(info.st_size) <= limits.maximumFileSize else {
                notes.append(oversized(path, size: Int(info.st_size)))
                continue
            }
            readable.append((path, full))
        }
        let commits = try repository.lastCommits(for: Set(readable.map(\.path)), from: head)
        for (path, full) in readable {
            guard let data = FileManager.default.contents(atPath: full) else {
                notes.append(.warning(at: location(path), "cannot read the file; skipped"))
                continue
            }
            try body(SourceFile(repo: name, path: path, bytes: [UInt8](data), sourceCommit: commits[path] ?? head, blob: ""))
        }
        return notes
    }

    /// The first symlinked directory on the way to `folder` whose target resolves outside `root`, and
    /// what it points at; nil when every step stays inside. `lstat` on a file follows such links silently.
    static func escape(_ folder: String, root: String) -> (link: String, target: String)? {
        var prefix = ""
        for part in PathBytes.components(folder) {
            prefix += prefix.isEmpty ? String(part) : "/" + part
            var info = stat()
            guard lstat(root + "/" + prefix, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { continue }
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/" + prefix)) ?? ""
            guard let real = realpath(root + "/" + prefix, nil) else { return (prefix, target) }
            defer { free(real) }
            let resolved = String(cString: real)
            guard PathBytes.equal(resolved, root) || PathBytes.isBelow(resolved, root) else { return (prefix, target) }
        }
        return nil
    }

    private func location(_ path: String) -> SourceLocation {
        SourceLocation(file: "\(name):\(path)", line: 1, column: 1)
    }

    private func oversized(_ path: String, size: Int) -> Diagnostic {
        .note(at: location(path), "file of \(size) bytes is larger than the \(limits.maximumFileSize)-byte limit; skipped")
    }
}
