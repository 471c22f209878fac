import ReconCore

/// A record the rolled-back run wrote that changed since (a later run, or a person): rollback leaves it
/// alone and says why, rather than overwrite someone else's work. Roll back the later runs first (newest
/// first), or settle it by hand, then make the rollback plan again.
public struct RollbackConflict: Sendable, Equatable {
    public enum Reason: String, Sendable, CaseIterable {
        /// Fields the run wrote hold other values now, in the base or in the state.
        case changedSince = "changed_since"
        /// The run wrote it, and it is gone from the base since.
        case deletedSince = "deleted_since"
        /// The run deleted it, and a record with its key exists again.
        case recreatedSince = "recreated_since"

        public var text: String {
            switch self {
            case .changedSince: "changed since the run"
            case .deletedSince: "deleted since the run"
            case .recreatedSince: "created again since the run"
            }
        }
    }

    /// One field that differs: what the run wrote, what is there now. Links are entity keys.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var written: FieldValue?
        public var current: FieldValue?

        public init(name: String, written: FieldValue?, current: FieldValue?) {
            self.name = name
            self.written = written
            self.current = current
        }
    }

    public var table: String
    public var key: String
    public var recordID: String?
    /// What undoing the run would have done to the record.
    public var action: RecordAction
    public var reason: Reason
    public var fields: [Field]

    public init(table: String, key: String, recordID: String?, action: RecordAction, reason: Reason, fields: [Field] = []) {
        self.table = table
        self.key = key
        self.recordID = recordID
        self.action = action
        self.reason = reason
        self.fields = fields
    }
}
