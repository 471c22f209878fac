import ReconCore

/// What one extraction produced: the desired records of every repo and what was noticed on the way.
public struct ExtractResult: Sendable {
    /// Sorted by table, then key.
    public var records: [DesiredRecord]
    /// One entry per repo, in manifest order.
    public var repos: [RepoExtraction]
    /// Warnings and notes (errors are thrown instead).
    public var diagnostics: [Diagnostic]
    /// The records entries still being stored (`Extraction.defersEntryStores`); nil once settled, or when none are.
    public var entryStores: EntryStores?

    public init(records: [DesiredRecord], repos: [RepoExtraction], diagnostics: [Diagnostic]) {
        self.records = records
        self.repos = repos
        self.diagnostics = diagnostics
    }

    /// Waits for the entries still being stored, and takes in what they did: the entries sealed, a warning per failure.
    public mutating func settleEntryStores() {
        guard let stores = entryStores else { return }
        entryStores = nil
        EntryStores.settle(stores.outcomes, repos: &repos, diagnostics: &diagnostics)
    }

    /// The records of one repo's extraction, in order, e.g. to store in the state.
    public func records(ofRepo name: String) -> [DesiredRecord] {
        records.filter { $0.provenance.repo == name }
    }
}

/// How one repo was extracted.
public struct RepoExtraction: Sendable, Equatable {
    public var name: String
    /// The commit `ref` resolved to; the one the state records as last extracted.
    public var commit: String
    /// True when the records came from the cache and no file was read.
    public var cached: Bool
    /// True when they came from an entry this state folder sealed for this build (`CachedExtraction.vouched`).
    public var vouched: Bool
    /// Files read and parsed (0 when cached).
    public var filesRead: Int
    /// Files answered from the per-file cache because their blob did not change since the last
    /// extraction at another commit (0 when cached or read in full).
    public var filesReused: Int
    /// The paths of those files: a plan that writes records made from them checks them against their source.
    public var reusedPaths: Set<String>
    public var recordCount: Int
    /// The sealed records entry ("COMMIT FINGERPRINT") these records are (a sealed hit) or were stored as; nil when none
    /// was sealed. What an apply's delta baseline names as the desired records it applied (issue 12, goal 4).
    public var sealedEntry: String?
    /// The sealed entry the records were read on from: the hit itself, or the entry a moved commit read on from
    /// (`RepoExtractor.delta`); nil when the repo was read otherwise.
    public var readOn: String?
    /// With `readOn`, table → keys of the records read now, from the paths changed since that entry; every other record
    /// is the entry's, as it holds it.
    public var readNow: [String: Set<String>] = [:]

    public init(name: String, commit: String, cached: Bool, vouched: Bool = false, filesRead: Int, filesReused: Int = 0,
                reusedPaths: Set<String> = [], recordCount: Int) {
        self.name = name
        self.commit = commit
        self.cached = cached
        self.vouched = vouched
        self.filesRead = filesRead
        self.filesReused = filesReused
        self.reusedPaths = reusedPaths
        self.recordCount = recordCount
    }
}
