import Foundation
import Manifest
import ReconCore

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
            do {
                // A symlinked `repos` (or mirror) folder would have the fetch or clone write outside the state folder.
                try StateFolderGuard.require(mirror, below: PrivateFile.directoryOf(cacheDirectory))
            } catch {
                throw GitError(arguments: ["fetch"], directory: mirror, message: "\(error)")
            }
            if FileManager.default.fileExists(atPath: (mirror as NSString).appendingPathComponent("HEAD")) {
                // Fetching from the manifest's URL, not a remembered remote, follows a changed URL.
                try GitCommand(directory: mirror, timeout: repo.gitTimeout).output(["fetch", "--quiet", "--prune", "--force", "--end-of-options", url,
                                                          "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"])
            } else {
                try clone(url, into: mirror, timeout: repo.gitTimeout)
            }
            return mirror
        }
    }

    /// Clones into a hidden folder beside the mirror and renames it into place, so a clone cut short
    /// never looks like a mirror and nothing ever has to be removed to make room: something already in
    /// the mirror's place that is not a mirror is refused, never deleted (plan and extract delete nothing).
    private func clone(_ url: String, into mirror: String, timeout: TimeInterval?) throws(GitError) {
        let name = (mirror as NSString).lastPathComponent
        do {
            _ = try SafeRemoval.contained(mirror, inside: cacheDirectory)
            try PrivateFile.createDirectory(cacheDirectory)
        } catch {
            throw GitError(arguments: ["clone"], directory: mirror, message: "\(error)")
        }
        var info = stat()
        guard lstat(mirror, &info) != 0 else {
            throw GitError(arguments: ["clone"], directory: mirror,
                           message: "it exists but is not a git mirror (no HEAD); move it away and Recon clones the repo again")
        }
        let partial = ".\(name).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try GitCommand(directory: cacheDirectory, timeout: timeout).output(["clone", "--quiet", "--mirror", "--end-of-options", url, partial])
        let cloned = (cacheDirectory as NSString).appendingPathComponent(partial)
        if rename(cloned, mirror) != 0 {
            let reason = String(cString: strerror(errno))
            // Our own clone, made a moment ago: another run may have put its mirror there first.
            _ = try? SafeRemoval.remove(cloned, inside: cacheDirectory)
            guard FileManager.default.fileExists(atPath: (mirror as NSString).appendingPathComponent("HEAD")) else {
                throw GitError(arguments: ["clone"], directory: mirror, message: "cannot move the clone into place: \(reason)")
            }
        }
    }
}
