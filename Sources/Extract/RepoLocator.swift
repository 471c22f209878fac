import Foundation
import Manifest

/// Finds the git directory for a repo: a local checkout as given, or a mirror clone of its
/// URL kept under `state/repos/<name>` and fetched on every run (file:// works offline).
struct RepoLocator: Sendable {
    /// Where mirrors of `url:` repos live.
    let cacheDirectory: String

    static let directoryName = "repos"

    init(stateDirectory: String) {
        cacheDirectory = (stateDirectory as NSString).appendingPathComponent(RepoLocator.directoryName)
    }

    func directory(for repo: RepoSpec) throws(GitError) -> String {
        switch repo.source {
        case .path(let path):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw GitError(arguments: [], directory: path, message: "the directory does not exist")
            }
            return path
        case .url(let url):
            let mirror = (cacheDirectory as NSString).appendingPathComponent(repo.name)
            if FileManager.default.fileExists(atPath: (mirror as NSString).appendingPathComponent("HEAD")) {
                // Fetching from the manifest's URL, not a remembered remote, follows a changed URL.
                try GitCommand(directory: mirror, timeout: repo.gitTimeout).output(["fetch", "--quiet", "--prune", "--force", "--end-of-options", url,
                                                          "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"])
            } else {
                try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
                try? FileManager.default.removeItem(atPath: mirror)
                try GitCommand(directory: cacheDirectory, timeout: repo.gitTimeout).output(["clone", "--quiet", "--mirror", "--end-of-options", url, repo.name])
            }
            return mirror
        }
    }
}
