@testable import Extract

extension ExtractResult {
    /// The repos' summaries without what a delta baseline reads (`sealedEntry`, `readOn`, `readNow`), which name
    /// fingerprints the tests do not spell out; those are checked where they matter.
    var counts: [RepoExtraction] {
        repos.map { repo in
            var repo = repo
            repo.sealedEntry = nil
            repo.readOn = nil
            repo.readNow = [:]
            return repo
        }
    }
}
