import ReconCore

/// The two shortcuts the plan file takes for creates, in one place so encoder and decoder agree.
enum PlanCompaction {
    /// The values of a change whose every field is `set` from nothing (creates, recreates), sorted by name as the
    /// encoder writes them (no dictionary per change of a 100,000-change plan); else nil.
    static func sortedSetValues(_ change: RecordChange) -> [(name: String, value: FieldValue)]? {
        guard change.action == .create || change.action == .recreate, !change.fields.isEmpty,
              change.fields.allSatisfy({ $0.kind == .set && $0.before == nil && $0.recorded == nil && $0.after?.normalized != nil })
        else { return nil }
        var pairs = change.fields.map { (name: $0.name, value: $0.after!) }
        pairs.sort { $0.name < $1.name }
        // Two fields of one name: not a set of values (and the decoder could not give both back).
        for index in pairs.indices.dropFirst() where pairs[index].name == pairs[index - 1].name { return nil }
        return pairs
    }

    /// Whether `state` is exactly what a create implies (its managed fields), which the decoder gives back when it is left out.
    static func isDerivedState(_ state: FieldCells, from pairs: [(name: String, value: FieldValue)], managed: [String]?) -> Bool {
        guard let managed else { return state.isEmpty }
        var matched = 0
        for pair in pairs where managed.contains(pair.name) {
            guard state[pair.name] == pair.value else { return false }
            matched += 1
        }
        return matched == state.count
    }
}
