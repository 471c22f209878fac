import Foundation
import ReconCore

/// Checks made before anything is read, for what `-c` cannot pin: where git finds the repo and its
/// working tree, and whether a missing object would be fetched (running a transport the repo names).
extension GitRepository {
    /// Refuses a directory that is not the top level of its own repo (a plain folder inside another repo,
    /// or a `core.worktree` pointing elsewhere) and a partial clone.
    func confine() throws(GitError) {
        try confineToDirectory()
        try refusePartialClone()
    }

    private func confineToDirectory() throws(GitError) {
        let lines = String(decoding: try git.output(["rev-parse", "--is-bare-repository", "--absolute-git-dir", "--show-cdup"]),
                           as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let declared = URL(fileURLWithPath: git.directory).resolvingSymlinksInPath()
        let found: String
        if lines.first == "true" {
            // Bare: nothing is read from a working tree, but the git directory must be the one declared.
            let gitDirectory = lines.count > 1 ? lines[1] : ""
            guard URL(fileURLWithPath: gitDirectory).resolvingSymlinksInPath().path != declared.path else { return }
            found = gitDirectory
        } else {
            let up = lines.count > 2 ? lines[2] : ""
            guard !up.isEmpty else { return }
            found = URL(fileURLWithPath: up, relativeTo: declared).standardizedFileURL.path
        }
        throw GitError(arguments: ["rev-parse"], directory: git.directory,
                       message: "the folder is not the top level of a git repository: git would read the repo at '\(ControlEscape.escaped(found))'",
                       hint: "name the repo's own top-level folder (a 'core.worktree' setting elsewhere is refused too)")
    }

    /// A promisor remote makes git fetch any missing object on its own, through a remote, ssh command or
    /// credential helper the repo's config names; `GIT_NO_LAZY_FETCH` (git 2.44+) alone is not enough.
    private func refusePartialClone() throws(GitError) {
        let entries = try git.output(["config", "-z", "--list"]).split(separator: 0)
        for entry in entries {
            let parts = entry.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(decoding: parts[0], as: UTF8.self).lowercased()
            let value = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self).lowercased() : "true"
            let promisor = key.hasPrefix("remote.") && key.hasSuffix(".promisor") && !["", "false", "no", "off", "0"].contains(value)
            guard key == "extensions.partialclone" || promisor else { continue }
            let shown = ControlEscape.escaped(key)
            throw GitError(arguments: ["config"], directory: git.directory,
                           message: "the repo is a partial clone ('\(shown)' is set): git would fetch missing objects on its own",
                           hint: "give a full clone, or remove the setting: git config --unset \(shown)")
        }
    }
}
