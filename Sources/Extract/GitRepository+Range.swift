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

extension GitRepository {
    /// What a delta from a sealed entry needs of the tree at `commit` (issue 12): the entries at `paths`, and the path of
    /// every symlink, from one `ls-tree` without `-l`, scanned as bytes. Without sizes git reads no blob header for the
    /// 100,000 untouched entries, and none of them is made into a `TreeEntry`. Sizes are 0 here (`sizes(of:)`).
    ///
    /// Nil when any name in the tree goes past ASCII: only such a name can be refused (not UTF-8) or be the twin of
    /// another (`PathName`; even an ASCII name has twins past ASCII, `K` and the Kelvin sign), which takes every name.
    ///
    /// `listingOnlyPaths`: git lists just `paths` (literal pathspecs, so no name is read as magic or a glob), when the
    /// caller knows the rest of the tree holds neither (`CachedExtraction.plainTree`); `symlinks` are then those among them.
    func sparseTree(at commit: String, paths: Set<ArraySlice<UInt8>>, listingOnlyPaths: Bool = false) throws(GitError)
        -> (entries: [TreeEntry], symlinks: [String])? {
        var entries: [TreeEntry] = []
        var symlinks: [String] = []
        var ascii = true
        let named = listingOnlyPaths ? ["--"] + paths.map { String(decoding: $0, as: UTF8.self) }.sorted() : []
        let listing = (listingOnlyPaths ? ["--literal-pathspecs"] : []) + ["ls-tree", "-r", "-z", "--full-tree", commit] + named
        try git.stream(listing) { reader in
            while let record = reader.read(until: 0) {
                // "<mode> <type> <object>\t<path>"
                guard let tab = record.firstIndex(of: 0x09) else { continue }
                let path = record[(tab + 1)...]
                guard !path.contains(where: { $0 >= 0x80 }) else {
                    ascii = false
                    return false
                }
                let isLink = record.starts(with: "120000 ".utf8)
                let listed = paths.contains(path)
                guard isLink || listed else { continue }
                let head = GitRepository.fields(record[..<tab])
                guard head.count == 3 else { continue }
                let name = String(decoding: path, as: UTF8.self)
                if isLink { symlinks.append(name) }
                if listed, let entry = TreeEntry(mode: Substring(head[0]), path: name, object: head[2], size: 0) {
                    entries.append(entry)
                }
            }
            return true
        }
        return ascii ? (entries, symlinks) : nil
    }

    /// Each blob's size, from one `cat-file --batch-check`; throws when git does not list one as a blob.
    func sizes(of objects: [String]) throws(GitError) -> [String: Int] {
        var sizes: [String: Int] = [:]
        guard !objects.isEmpty else { return sizes }
        let request = Array(objects.joined(separator: "\n").utf8) + [0x0A]
        try git.stream(["cat-file", "--batch-check"], input: { handle in try? handle.write(contentsOf: request) }) { reader in
            for object in objects {
                // "<object> blob <size>" or "<object> missing"
                guard let header = reader.read(until: 0x0A) else { break }
                let fields = GitRepository.fields(header[...])
                if fields.count == 3, fields[0] == object, fields[1] == "blob", let size = Int(fields[2]) { sizes[object] = size }
            }
            return true
        }
        guard objects.allSatisfy({ sizes[$0] != nil }) else {
            throw GitError(arguments: ["cat-file", "--batch-check"], directory: git.directory, message: "an object is not a blob")
        }
        return sizes
    }
}
