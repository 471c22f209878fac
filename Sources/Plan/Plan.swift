import ReconCore
import State

/// A reviewable plan: everything apply will do, and what it was made against.
public struct Plan: Sendable, Equatable {
    public static let formatVersion = 1

    public var toolVersion: String
    /// `sqlite:<path>` or `airtable:<base>`.
    public var target: String
    public var manifestDigest: String
    /// The state the plan was made against; apply refuses a plan once either moved.
    public var lineage: String
    public var serial: Int
    public var schemaChanges: [SchemaChange]
    public var recordChanges: [RecordChange]
    public var protectedSkips: [ProtectedSkip]
    public var integrityErrors: [IntegrityError]
    /// The base's records the plan touches, as read; checked again before apply writes.
    public var preconditions: [RecordFingerprint]
    /// Records in the base that Recon does not manage, per table: counted, never touched.
    public var unmanaged: [String: Int]
    /// Repo name → the commit extracted, recorded in the state on apply.
    public var repoCommits: [String: String]
    /// Set when the plan was made by `rollback RUN`.
    public var rollbackOf: String?
    /// Records that run wrote which changed since: shown, counted as conflicts, never applied.
    public var rollbackConflicts: [RollbackConflict] = []
    /// Table → the fields Recon keeps in line after create (all but the key and protected ones). Lets the
    /// file leave out what a create's state values would repeat.
    public var managedFields: [String: [String]] = [:]
    /// Table → every field in manifest order, so a decoded create lists its fields as the plan did.
    public var fieldOrder: [String: [String]] = [:]
    /// What `--target` and `--repo` limited the plan to; kept in the file so apply re-derives within it.
    public var scope: PlanScope = .all
    /// What the checks found (`PlanChecks`); apply refuses error findings unless allowed.
    public var findings: [CheckFinding] = []

    public init(toolVersion: String = ReconVersion.current, target: String, manifestDigest: String, lineage: String,
                serial: Int, schemaChanges: [SchemaChange] = [], recordChanges: [RecordChange] = [],
                protectedSkips: [ProtectedSkip] = [], integrityErrors: [IntegrityError] = [],
                preconditions: [RecordFingerprint] = [], unmanaged: [String: Int] = [:],
                repoCommits: [String: String] = [:], rollbackOf: String? = nil) {
        self.toolVersion = toolVersion
        self.target = target
        self.manifestDigest = manifestDigest
        self.lineage = lineage
        self.serial = serial
        self.schemaChanges = schemaChanges
        self.recordChanges = recordChanges
        self.protectedSkips = protectedSkips
        self.integrityErrors = integrityErrors
        self.preconditions = preconditions
        self.unmanaged = unmanaged
        self.repoCommits = repoCommits
        self.rollbackOf = rollbackOf
    }

    public var summary: PlanSummary { PlanSummary(self) }

    /// Whether applying would write the base (state-only updates do not count).
    public var hasChanges: Bool {
        summary.changeCount > 0
    }

    /// Whether applying would change the state even where the base is not written: adopting records
    /// already right, converged or forgotten records, a repo's new commit.
    public func changesState(from state: StateModel) -> Bool {
        recordChanges.contains { $0.blockedBy == nil && !$0.writesBase }
            || schemaChanges.contains { if case .unmanageField = $0 { true } else { false } }
            || repoCommits.contains { state.repos[$0.key]?.commit != $0.value }
    }

    public var manualItems: [ManualItem] {
        schemaChanges.compactMap { if case .manual(let item) = $0 { item } else { nil } }
    }
}

/// The counts a plan's first line gives: `[N schema changes, ]N to add, N to change, N to delete[, N adopted], N drift,
/// N conflicts, N manual`. One rule for the text line, the Markdown heading and the JSON `summary`.
public struct PlanSummary: Sendable, Equatable {
    public var add = 0
    public var change = 0
    public var delete = 0
    /// Records already in the base taken under management (named as apply names them: "adopted").
    public var adopt = 0
    public var drift = 0
    public var conflicts = 0
    public var manual = 0
    public var schema = 0
    public var blocked = 0
    /// Adoptions that write the base too (fields that differ): they make `-detailed-exitcode` return 2.
    private var adoptWrites = 0

    public init(_ plan: Plan) {
        for change in plan.schemaChanges {
            switch change {
            case .manual: manual += 1
            case .unmanageField: break  // the base is not changed
            default: schema += 1
            }
        }
        conflicts = plan.rollbackConflicts.count
        // Only the action, fields and block of each change are read, in place: asking the change itself copied all of
        // it (perf: 0.1 s of copies and releases per summary of 100,000 creates, asked twice an apply; issue 12).
        let changes = plan.recordChanges
        for index in changes.indices {
            let action = changes[index].action
            let fields = changes[index].fields
            if RecordChange.hasDrift(action, fields) { drift += 1 }
            if RecordChange.hasConflict(fields) { conflicts += 1 }
            if changes[index].blockedBy != nil { blocked += 1 }
            switch RecordChange.effect(action, fields) {
            case .add: add += 1
            case .change: self.change += 1
            case .delete: delete += 1
            case .adopt:
                adopt += 1
                if RecordChange.writesBase(action, fields) { adoptWrites += 1 }
            case .stateOnly: break
            }
        }
    }

    /// Schema changes and record writes: what makes `-detailed-exitcode` return 2.
    public var changeCount: Int { add + change + delete + adoptWrites + schema }

    public var line: String {
        var parts: [String] = []
        if schema > 0 { parts.append("\(schema) schema change\(schema == 1 ? "" : "s")") }
        parts += ["\(add) to add", "\(change) to change", "\(delete) to delete"]
        if adopt > 0 { parts.append("\(adopt) adopted") }
        parts += ["\(drift) drift", "\(conflicts) conflict\(conflicts == 1 ? "" : "s")", "\(manual) manual"]
        return parts.joined(separator: ", ")
    }
}
