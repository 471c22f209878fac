import ReconCore

extension GitRepository {
    /// Every path a commit between `older` (excluded) and `newer` changed, when `newer` descends from `older` by a
    /// straight line of commits with one parent each; nil otherwise (a rewound or rewritten branch, a merge).
    ///
    /// On such a line, a path no commit of it touched has the same tree entry at both ends and the same last commit
    /// (`lastCommits` walks the line first, finding nothing for it, then exactly the history it walks from `older`),
    /// so whatever `older` yielded for it still holds. A path changed and reverted on the line is listed.
    func pathsChanged(from older: String, to newer: String) throws(GitError) -> Set<String>? {
        var paths: Set<String> = []
        var expected = newer
        var linear = true
        try git.stream(["log", "-z", "--name-only", "--no-renames", "--no-ext-diff", "--no-textconv", "--no-show-signature",
                        "--format=%x00%H %P", "\(older)..\(newer)", "--"]) { reader in
            enum Next { case path, header, firstPath }
            var next = Next.path
            while var token = reader.read(until: 0) {
                switch next {
                case _ where token.isEmpty:
                    next = .header
                    continue
                case .header:
                    // "<commit> <parent>": the line, walked from `newer` down, one parent each.
                    let ids = String(decoding: token, as: UTF8.self).split(separator: " ")
                    guard ids.count == 2, ids[0] == expected else {
                        linear = false
                        return false
                    }
                    expected = String(ids[1])
                    next = .firstPath
                    continue
                case .firstPath:
                    if token.first == 0x0A { token.removeFirst() }
                    next = .path
                case .path:
                    break
                }
                guard !token.isEmpty else { continue }
                let (path, valid) = PathName.decode(token[...])
                // A name git's tree shows escaped (not UTF-8) is matched by its escaped form: read in full instead.
                guard valid else {
                    linear = false
                    return false
                }
                paths.insert(path)
            }
            return true
        }
        guard linear, expected == older else { return nil }
        return paths
    }
}
