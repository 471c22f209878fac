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
        try walkLog(["--format=%x00%H %P", "\(older)..\(newer)", "--"]) { header in
            // "<commit> <parent>": the line, walked from `newer` down, one parent each.
            let ids = String(decoding: header, as: UTF8.self).split(separator: " ")
            guard ids.count == 2, ids[0] == expected else {
                linear = false
                return false
            }
            expected = String(ids[1])
            return true
        } path: { token in
            let (path, valid) = PathName.decode(token[...])
            // A name git's tree shows escaped (not UTF-8) is matched by its escaped form: read in full instead.
            guard valid else {
                linear = false
                return false
            }
            paths.insert(path)
            return true
        }
        guard linear, expected == older else { return nil }
        return paths
    }
}
