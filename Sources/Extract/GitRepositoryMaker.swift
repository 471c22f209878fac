import ReconCore

/// Makes a folder of files into a git repository with one commit: `recon init --sample`'s sample catalog.
/// Through `GitCommand`, so no git configuration can run a command; with a fixed identity, so it works
/// where git has none (a fresh CI runner).
public enum GitRepositoryMaker {
    static let identity = ["-c", "user.name=Recon", "-c", "user.email=recon@localhost", "-c", "commit.gpgsign=false"]

    /// `git init` in `directory` (which exists and holds the files), then one commit of everything in it.
    public static func commitAll(in directory: String, message: String) throws(ReconError) {
        let git = GitCommand(directory: directory)
        do {
            try git.output(["init", "--quiet", "--initial-branch=main"])
            try git.output(["add", "--all"])
            try git.output(identity + ["commit", "--quiet", "--no-verify", "-m", message])
        } catch {
            throw ReconError(error.description, hint: error.hint ?? "the files are in place; run 'git init' and commit them by hand")
        }
    }
}
