import ReconCore

/// What happens to one record. A closed set, so renderers and the applier handle every case.
public enum RecordAction: String, Sendable, CaseIterable, Comparable {
    /// Not in the state, not in the base: create it.
    case create
    /// In the state but deleted in the base: create it again (drift).
    case recreate
    /// Not in the state but present in the base with the same key: take it over, no duplicate.
    case adopt
    /// Managed fields to write.
    case update
    /// No longer desired, `on_delete: archive`: tick the archive field.
    case archive
    /// No longer desired, `on_delete: delete`.
    case delete
    /// No longer desired, `on_delete: keep`, or already gone from the base: drop it from the state only.
    case forget
    /// Nothing to write to the base, but the state catches up (converged values, adopted drift).
    case refreshState = "refresh-state"

    private var rank: Int { RecordAction.allCases.firstIndex(of: self)! }
    public static func < (a: RecordAction, b: RecordAction) -> Bool { a.rank < b.rank }

    /// Whether the base is written.
    public var writesBase: Bool {
        switch self {
        case .forget, .refreshState: false
        default: true
        }
    }
}

/// Why a record is changed: Terraform-style reasons, from a closed set.
public enum ChangeReason: String, Sendable, CaseIterable {
    case new
    case changedInManifests = "changed_in_manifests"
    case changedInBase = "changed_in_base"
    case deletedInBase = "deleted_in_base"
    case existsInBase = "exists_in_base"
    case noLongerDesired = "no_longer_desired"
    case alreadyDeleted = "already_deleted"
    case rollback

    /// The words renderers print.
    public var text: String {
        switch self {
        case .new: "new in the manifests"
        case .changedInManifests: "changed in the manifests"
        case .changedInBase: "changed in the base"
        case .deletedInBase: "deleted in the base"
        case .existsInBase: "already in the base with the same key"
        case .noLongerDesired: "no longer in the manifests"
        case .alreadyDeleted: "no longer in the manifests, already gone from the base"
        case .rollback: "returned to how it was before the run"
        }
    }
}

/// How one field differs.
public enum FieldChangeKind: String, Sendable, CaseIterable {
    /// The manifests changed it; the base did not.
    case update
    /// The base changed it; the desired value is written back (`policy.drift: restore`).
    case drift
    /// The base changed it; shown only (`policy.drift: report`).
    case driftReported = "drift-reported"
    /// The base changed it; the state takes the base's value (`policy.drift: adopt`).
    case driftAdopted = "drift-adopted"
    /// Both changed it differently; the manifests win (`policy.conflict: desired`).
    case conflict
    /// Both changed it the same way: nothing to write, the state catches up.
    case converged
    /// Written as part of a create, recreate or adopt.
    case set

    /// Whether the desired value is written to the base.
    public var writes: Bool {
        switch self {
        case .update, .drift, .conflict, .set: true
        case .driftReported, .driftAdopted, .converged: false
        }
    }
}

/// One field of a record change: only changed fields are listed.
public struct FieldChange: Sendable, Equatable {
    // Stored in this order so the one-byte kind sits in the value's padding: 48 bytes, not 56 (kind between the name
    // and the value took 8), ~10 MB of a 100,000-create plan (issue 12).
    public var name: String
    /// `before` and `recorded`, boxed: both are nil for every field of a create, and inline they made each field change
    /// 96 bytes instead of 56, ~50 MB of a 100,000-create plan (issue 12).
    private var earlier: Earlier?
    /// The value after apply (nil: empty).
    public var after: FieldValue?
    public var kind: FieldChangeKind

    /// Neither a before nor a recorded value, as a create's fields: asked without copying either out.
    public var hasNoEarlierValues: Bool { earlier == nil }

    /// The base's value (nil: empty). Links are entity keys.
    public var before: FieldValue? {
        get { earlier?.before }
        set { earlier = Earlier.make(before: newValue, recorded: recorded) }
    }

    /// What the state recorded as last applied, where it matters (drift, conflict).
    public var recorded: FieldValue? {
        get { earlier?.recorded }
        set { earlier = Earlier.make(before: before, recorded: newValue) }
    }

    public init(name: String, kind: FieldChangeKind, before: FieldValue?, after: FieldValue?, recorded: FieldValue? = nil) {
        self.name = name
        self.kind = kind
        self.after = after
        self.earlier = Earlier.make(before: before, recorded: recorded)
    }

    public static func == (lhs: FieldChange, rhs: FieldChange) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.after == rhs.after && lhs.before == rhs.before && lhs.recorded == rhs.recorded
    }

    /// Immutable, so copies of a field change never share a value that changes; nil when both are nil.
    private final class Earlier: Sendable {
        let before: FieldValue?
        let recorded: FieldValue?

        private init(storing before: FieldValue?, _ recorded: FieldValue?) {
            self.before = before
            self.recorded = recorded
        }

        static func make(before: FieldValue?, recorded: FieldValue?) -> Earlier? {
            before == nil && recorded == nil ? nil : Earlier(storing: before, recorded)
        }
    }
}

/// One record's change in a plan.
public struct RecordChange: Sendable, Equatable {
    public var table: String
    public var key: String
    /// The base's record id, when the record exists there.
    public var remoteID: String?
    public var action: RecordAction
    public var reason: ChangeReason
    public var fields: [FieldChange]
    /// Where the desired record came from.
    public var source: Provenance?
    /// The managed values the state holds after this change is applied (absent for delete and forget).
    public var stateValues: FieldCells?
    /// The adoptions the state holds after this change (`ManagedRecord.adopted`); nil or empty: none.
    public var stateAdopted: FieldCells?
    /// A manual schema item this change waits on; blocked changes are shown but not applied.
    public var blockedBy: String?

    public init(table: String, key: String, remoteID: String?, action: RecordAction, reason: ChangeReason,
                fields: [FieldChange], source: Provenance? = nil, stateValues: FieldCells? = nil,
                stateAdopted: FieldCells? = nil, blockedBy: String? = nil) {
        self.table = table
        self.key = key
        self.remoteID = remoteID
        self.action = action
        self.reason = reason
        self.fields = fields
        self.source = source
        self.stateValues = stateValues?.compacted()
        self.stateAdopted = stateAdopted?.isEmpty == false ? stateAdopted?.compacted() : nil
        self.blockedBy = blockedBy
    }

    /// Where a change counts in summaries; one rule for the summary line and each table's line.
    /// An adoption counts as one, written or not, as apply counts it.
    public enum Effect: Sendable { case add, change, delete, adopt, stateOnly }

    public var effect: Effect { Self.effect(action, fields) }

    /// Whether this change sends anything to the base (an adopt of a record already right does not).
    /// A written field is either in `writes` (a value) or in `clears` (no value), so any one of them writes the base.
    /// Fields are read in place by index: a summary asks this of every change in a 100,000-change plan.
    public var writesBase: Bool { Self.writesBase(action, fields) }

    public var hasDrift: Bool { Self.hasDrift(action, fields) }

    public var hasConflict: Bool { Self.hasConflict(fields) }

    // The same, from a change's action and fields: what `PlanSummary` reads of each of 100,000 changes, taken from the
    // array in place (asking the change itself copied all of it, 0.1 s a summary; issue 12).

    static func effect(_ action: RecordAction, _ fields: [FieldChange]) -> Effect {
        switch action {
        case .create, .recreate: .add
        case .delete: .delete
        case .adopt: .adopt
        default: writesBase(action, fields) ? .change : .stateOnly
        }
    }

    static func writesBase(_ action: RecordAction, _ fields: [FieldChange]) -> Bool {
        guard action.writesBase else { return false }
        if action == .delete || action == .create || action == .recreate { return true }
        for index in fields.indices where fields[index].kind.writes { return true }
        return false
    }

    static func hasDrift(_ action: RecordAction, _ fields: [FieldChange]) -> Bool {
        if action == .recreate { return true }
        // By index: `contains` hands each field over as a copy of its values.
        for index in fields.indices {
            switch fields[index].kind {
            case .drift, .driftReported, .driftAdopted: return true
            default: continue
            }
        }
        return false
    }

    static func hasConflict(_ fields: [FieldChange]) -> Bool {
        for index in fields.indices where fields[index].kind == .conflict { return true }
        return false
    }

    /// Fields whose written value is "no value": the base's cell is cleared.
    public var clears: [String] {
        fields.filter { $0.kind.writes && $0.after?.normalized == nil }.map(\.name)
    }

    /// The fields written to the base, desired values by name.
    public var writes: [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        for field in fields where field.kind.writes {
            if let after = field.after { values[field.name] = after }
        }
        return values
    }
}

/// A protected field whose desired value differs from the base's: left as people set it.
public struct ProtectedSkip: Sendable, Equatable {
    public var table: String
    public var key: String
    public var field: String
    public var base: FieldValue?
    public var desired: FieldValue?
}

/// A key that cannot be planned: two records of the base hold it.
public struct IntegrityError: Sendable, Equatable {
    public var table: String
    public var key: String
    public var recordIDs: [String]
}

/// The base's record as the plan saw it; apply refuses the plan if it changed since.
public struct RecordFingerprint: Sendable, Equatable {
    public var table: String
    public var recordID: String
    /// `FieldValue.contentHash` of the record's fields as read.
    public var hash: String
}
