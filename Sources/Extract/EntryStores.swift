import ReconCore

/// The records entries of one extraction, stored one repo after another: inline, or on the other core while the
/// caller goes on (the cold plan's refresh and planner ran on one core for ~1 s at 100,000 records, the entry's write
/// before them for ~0.4 s; issue 12, goal 1). A failed store is a warning, as it always was: the next run reads the
/// repo again.
public final class EntryStores: Sendable {
    /// One repo's store: where its summary is in `ExtractResult.repos`, and the entry it sealed or why it failed.
    struct Outcome: Sendable {
        var summary: Int
        var repo: String
        var sealedEntry: String?
        var failure: String?
    }

    private let task: BackgroundTask<[Outcome], Never>

    /// Starts storing `entries` (in this order) on the other core.
    init(_ entries: [(summary: Int, entry: CachedExtraction)], in cache: any ExtractCache) {
        task = BackgroundTask { Self.store(entries, in: cache) }
    }

    /// Waits until every entry is stored (or failed to be). Call it before anything else writes the cache, and on
    /// every path out of the run that started it, so no write outlives it.
    public func wait() {
        _ = task.value()
    }

    var outcomes: [Outcome] { task.value() }

    static func store(_ entries: [(summary: Int, entry: CachedExtraction)], in cache: any ExtractCache) -> [Outcome] {
        entries.map { summary, entry in
            do {
                try cache.store(entry)
                return Outcome(summary: summary, repo: entry.repo, sealedEntry: entry.vouched ? "\(entry.commit) \(entry.fingerprint)" : nil)
            } catch {
                return Outcome(summary: summary, repo: entry.repo, failure: "\(error)")
            }
        }
    }

    /// What the stores mean for the result: the entries sealed, a warning per failure (diagnostics kept sorted).
    static func settle(_ outcomes: [Outcome], repos: inout [RepoExtraction], diagnostics: inout [Diagnostic]) {
        guard !outcomes.isEmpty else { return }
        for outcome in outcomes {
            if let sealed = outcome.sealedEntry { repos[outcome.summary].sealedEntry = sealed }
            if let failure = outcome.failure {
                diagnostics.append(.warning(at: nil, "could not store the extract cache of repo '\(outcome.repo)': \(failure)",
                                            hint: "the next run reads the repo again"))
            }
        }
        if outcomes.contains(where: { $0.failure != nil }) { diagnostics.sort() }
    }
}
