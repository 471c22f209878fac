import ReconCore

/// Running totals of a run, kept in its ledger so `recon runs` shows them without reading the outcomes.
public struct RunCounters: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var deleted = 0
    public var archived = 0
    /// Records already in the base taken under management, written or not (the plan's "adopted").
    public var adopted = 0
    public var skipped = 0
    public var failed = 0
    public var batches = 0

    public init(created: Int = 0, updated: Int = 0, deleted: Int = 0, archived: Int = 0, adopted: Int = 0, skipped: Int = 0,
                failed: Int = 0, batches: Int = 0) {
        self.created = created
        self.updated = updated
        self.deleted = deleted
        self.archived = archived
        self.adopted = adopted
        self.skipped = skipped
        self.failed = failed
        self.batches = batches
    }

    /// Counts one outcome: a failure or skip by its status, a success by its action. `forget` and
    /// `refresh-state` touch only the state and count nowhere.
    public mutating func count(_ outcome: EntityOutcome) {
        switch outcome.status {
        case .failed: failed += 1
        case .skipped: skipped += 1
        case .ok:
            switch outcome.action {
            case .create, .recreate: created += 1
            case .update: updated += 1
            case .adopt: adopted += 1
            case .delete: deleted += 1
            case .archive: archived += 1
            case .forget, .refreshState: break
            }
        }
    }

    static let names = ["adopted", "archived", "batches", "created", "deleted", "failed", "skipped", "updated"]

    var json: JSONValue {
        .object(["created": .number(Double(created)), "updated": .number(Double(updated)),
                 "deleted": .number(Double(deleted)), "archived": .number(Double(archived)), "adopted": .number(Double(adopted)),
                 "skipped": .number(Double(skipped)), "failed": .number(Double(failed)),
                 "batches": .number(Double(batches))])
    }

    init(json: JSONValue?) {
        func value(_ name: String) -> Int { json?[name]?.intValue ?? 0 }
        self.init(created: value("created"), updated: value("updated"), deleted: value("deleted"),
                  archived: value("archived"), adopted: value("adopted"), skipped: value("skipped"), failed: value("failed"),
                  batches: value("batches"))
    }
}
