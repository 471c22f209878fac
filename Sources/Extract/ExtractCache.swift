import ReconCore

/// Where extraction keeps each repo's records between runs, so a repo whose commit has not moved
/// is not read again (the "incremental" rule).
///
/// An entry answers only for the exact repo, commit and fingerprint it was stored with. The
/// fingerprint covers the manifests, the tool version and limits, and (for repos whose links
/// name other repos' keys) those repos' commits, so a changed rule never serves stale records.
/// The state stage may wrap an implementation to answer only for the commit of the last apply.
public protocol ExtractCache: Sendable {
    /// The entry for `repo` if one was stored for exactly this commit and fingerprint.
    func load(repo: String, commit: String, fingerprint: String) -> CachedExtraction?
    /// Replaces the entry of `extraction.repo`. Called only after a run without errors. An entry read on from one that
    /// `loadSealed` returned may hold only the records after those its `encoded` bytes cover (`recordsLetGo`): only an
    /// implementation that writes those bytes (`FileExtractCache`, or one that passes the entry to it) can store it.
    func store(_ extraction: CachedExtraction) throws
    /// The per-file results stored for `repo` with this fingerprint, at whatever commit.
    func loadFiles(repo: String, fingerprint: String) -> CachedFiles?
    /// The per-file results of `files.repo` written aside, to replace the stored ones on `commit` once the run has no
    /// errors (`Extraction` writes them on another core while it assembles the records); nil when nothing is kept.
    func prepareFiles(_ files: CachedFiles) throws -> PreparedFile?
    /// The entry for `repo` at whatever commit, only when this state folder sealed it for this build (`vouched`).
    func loadSealed(repo: String, fingerprint: String) -> CachedExtraction?
    /// True when a stored entry whose records were all read from the repo is sealed, so `loadSealed` returns it: then a
    /// repo with no sealed entry is read in full rather than per file, to have one (`Extraction.run`).
    var sealsEntries: Bool { get }
    /// The cache as a store made on another core needs it: without what only loading uses, so the store holds no
    /// reference to it (a state's records shared by `FileExtractCache.held` were copied whole when the state was
    /// changed beside it).
    var forStoring: any ExtractCache { get }
}

/// One repo's extraction as the cache keeps it.
public struct CachedExtraction: Sendable, Equatable {
    public var repo: String
    public var commit: String
    public var fingerprint: String
    /// Resolved records, links holding keys.
    public var records: [DesiredRecord]
    /// The warnings and notes of the extraction, shown again when the cache answers.
    public var diagnostics: [Diagnostic]
    /// The tree entries the rules matched at `commit`, in tree order: a hit is served only when `ls-tree`
    /// lists exactly these and every record comes from one of them.
    public var sources: [CachedSource]
    /// Loaded: the entry carries this state folder's seal for this build, so its records are what this build read from
    /// the repo at `commit` (no tree check, no re-read before a write). Stored: every record was read from the repo
    /// (or came from a vouched entry) in this run, so the entry may be sealed.
    public var vouched: Bool
    /// Every name in the tree at `commit` is ASCII and no rule matches a symlink there: a delta from this entry lists only
    /// the paths changed since (`RepoExtractor.changedEntries`). True for an entry a delta made (its listing showed it,
    /// whole or of the changed paths of an entry that was plain); false for a full read's, whose next delta lists all.
    public var plainTree = false
    /// Loaded sealed: the bytes each record was read from. Stored: those of a prefix of `records`, written back as they
    /// are instead of encoded again. Not part of the entry's value.
    var encoded: EncodedRecords?

    public init(repo: String, commit: String, fingerprint: String, records: [DesiredRecord], diagnostics: [Diagnostic],
                sources: [CachedSource], vouched: Bool = false) {
        self.repo = repo
        self.commit = commit
        self.fingerprint = fingerprint
        self.records = records
        self.diagnostics = diagnostics
        self.sources = sources
        self.vouched = vouched
    }

    public static func == (lhs: CachedExtraction, rhs: CachedExtraction) -> Bool {
        (lhs.repo, lhs.commit, lhs.fingerprint, lhs.vouched, lhs.plainTree) == (rhs.repo, rhs.commit, rhs.fingerprint, rhs.vouched, rhs.plainTree)
            && (lhs.records, lhs.diagnostics, lhs.sources) == (rhs.records, rhs.diagnostics, rhs.sources)
    }
}

/// Where a sealed records entry's records sit in its bytes (`RepoExtractor.delta`, issue 12). The MAC says this build
/// wrote them, with the encoder it would use now, so a record carried unchanged into the next entry is copied as the
/// entry held it: the bytes `RecordCoding.write` would make of it, without the work. The bytes are the ones verified
/// at the load, kept in memory (the carried records' cells are still in them, `EncodedFieldCells`), so nothing copied
/// can differ from what was loaded, whatever became of the file since.
struct EncodedRecords: Sendable {
    let bytes: VerifiedBytes
    /// `ranges[i]`: the offsets in `bytes` of the entry's `records[i]`, a whole JSON object; ascending.
    var ranges: [Range<Int>]
    /// Stored: the records the ranges are of were let go (`CachedExtraction.lettingCopiedRecordsGo`), so the entry's
    /// `records` are those after them.
    var recordsLetGo = false
}

extension CachedExtraction {
    /// For a store that runs beside the caller (`EntryStores`): the records `encoded` covers are written from its bytes,
    /// so the entry need not hold them. Else it shares the caller's list, and the caller's sort copied all 100,000
    /// records of a 1% delta (+17 MB at its peak, issue 12).
    mutating func lettingCopiedRecordsGo() {
        guard let count = encoded?.ranges.count, count > 0, encoded?.recordsLetGo == false else { return }
        records = Array(records.dropFirst(count))
        encoded!.recordsLetGo = true
    }
}

/// One tree entry a rule matched: its path and object id (for a symlink, the link's own blob).
public struct CachedSource: Sendable, Equatable {
    public var path: String
    public var blob: String

    public init(path: String, blob: String) {
        self.path = path
        self.blob = blob
    }
}

/// Per-file results for incremental extraction: when a repo's commit moves, every matched file
/// whose blob is unchanged is answered from here instead of being read and parsed again.
///
/// Unlike `CachedExtraction`, an entry answers for **any** commit of the repo, as long as its
/// fingerprint matches: a file's entities depend only on its bytes, its path and the rules.
/// The default implementation keeps nothing, so every moved commit reads the whole repo.
extension ExtractCache {
    public func loadFiles(repo: String, fingerprint: String) -> CachedFiles? { nil }
    public func prepareFiles(_ files: CachedFiles) throws -> PreparedFile? { nil }
    public func loadSealed(repo: String, fingerprint: String) -> CachedExtraction? { nil }
    public var sealsEntries: Bool { false }
    public var forStoring: any ExtractCache { self }
}

/// One repo's per-file extraction results, as of one commit.
public struct CachedFiles: Sendable, Equatable {
    public var repo: String
    /// The commit these results were read at (informational; reuse is keyed on blob ids).
    public var commit: String
    /// Covers the manifests, the tool version and the limits (not other repos' commits:
    /// entities before link resolution do not depend on them).
    public var fingerprint: String
    public var files: [CachedFile]

    public init(repo: String, commit: String, fingerprint: String, files: [CachedFile]) {
        self.repo = repo
        self.commit = commit
        self.fingerprint = fingerprint
        self.files = files
    }
}

/// What one matched file produced: its entities before link resolution and its own diagnostics.
public struct CachedFile: Sendable, Equatable {
    /// The matched path (for a followed symlink, the link's path).
    public var path: String
    /// The blob actually read (for a followed symlink, the target's blob).
    public var blob: String
    /// The file's last commit when it was read; `$commit` fields hold it.
    public var sourceCommit: String
    /// Warnings and notes about this file (errors never reach the cache).
    public var diagnostics: [Diagnostic]
    var entities: [CachedEntity]
    /// The bytes this entry was read from (a slice of the whole cache file), written back as they are while
    /// nothing above changes; nil for an entry made now. Not part of its value.
    var encoded: ArraySlice<UInt8>?

    init(path: String, blob: String, sourceCommit: String, diagnostics: [Diagnostic], entities: [CachedEntity]) {
        self.path = path
        self.blob = blob
        self.sourceCommit = sourceCommit
        self.diagnostics = diagnostics
        self.entities = entities
    }

    public static func == (lhs: CachedFile, rhs: CachedFile) -> Bool {
        (lhs.path, lhs.blob, lhs.sourceCommit, lhs.diagnostics, lhs.entities) == (rhs.path, rhs.blob, rhs.sourceCommit, rhs.diagnostics, rhs.entities)
    }
}

/// A pending entity without what its file and rules already say: the rule is its index in the
/// repo's `extract` list, and table, repo and file come from the rule and the file.
struct CachedEntity: Sendable, Equatable {
    var rule: Int
    var key: String
    var root: String?
    var fields: FieldCells
    var links: [CachedLink]
}

struct CachedLink: Sendable, Equatable {
    var field: String
    var table: String
    var candidates: [String]?
    var location: SourceLocation
}
