import Manifest

/// Each repo's commit, resolved exactly as `Extraction` resolves it (url repos fetched into their mirror first), so
/// a no-op seal sees a moved branch or a fetched commit (issue 12). Nil when a repo is read from its working tree:
/// its files can change without any commit moving. A shallow clone's commit carries its boundary
/// (`GitRepository.history`): deepening it changes the files' last commits without moving any ref.
public enum RepoCommits {
    public static func resolve(_ manifest: Manifest, stateDirectory: String) throws -> [String: String]? {
        guard !manifest.repos.contains(where: \.worktree) else { return nil }
        let locator = RepoLocator(stateDirectory: stateDirectory)
        var commits: [String: String] = [:]
        for repo in manifest.repos {
            let repository = GitRepository(directory: try locator.directory(for: repo), timeout: repo.gitTimeout)
            try repository.confine()
            let commit = try repository.resolve(repo.ref), history = try repository.history()
            commits[repo.name] = history.isEmpty ? commit : "\(commit) \(history)"
        }
        return commits
    }
}
