import ReconCore

/// The two shortcuts the plan file takes for creates, in one place so encoder and decoder agree.
enum PlanCompaction {
    /// The values of a change whose every field is `set` from nothing (creates, recreates), else nil.
    static func setValues(_ change: RecordChange) -> [String: FieldValue]? {
        guard change.action == .create || change.action == .recreate, !change.fields.isEmpty,
              change.fields.allSatisfy({ $0.kind == .set && $0.before == nil && $0.recorded == nil && $0.after?.normalized != nil })
        else { return nil }
        var values: [String: FieldValue] = [:]
        for field in change.fields { values[field.name] = field.after }
        return values.count == change.fields.count ? values : nil
    }

    /// The state values a create implies: its managed fields.
    static func derivedState(_ values: [String: FieldValue], managed: [String]?) -> [String: FieldValue] {
        guard let managed else { return [:] }
        var state: [String: FieldValue] = [:]
        for name in managed { if let value = values[name] { state[name] = value } }
        return state
    }
}
