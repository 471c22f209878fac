import ReconCore

/// The two shortcuts the plan file takes for creates, in one place so encoder and decoder agree.
enum PlanCompaction {
    /// The values of a change whose every field is `set` from nothing (creates, recreates), sorted by name as the
    /// encoder writes them (no dictionary per change of a 100,000-change plan); else nil.
    static func sortedSetValues(_ change: RecordChange) -> [(name: String, value: FieldValue)]? {
        guard change.action == .create || change.action == .recreate, !change.fields.isEmpty else { return nil }
        var pairs: [(name: String, value: FieldValue)] = []
        pairs.reserveCapacity(change.fields.count)
        var sorted = true
        for index in change.fields.indices {
            guard change.fields[index].kind == .set, change.fields[index].hasNoEarlierValues,
                  let after = change.fields[index].after, after.normalized != nil else { return nil }
            if sorted, let last = pairs.last, !(last.name < change.fields[index].name) { sorted = false }
            pairs.append((change.fields[index].name, after))
        }
        if !sorted { pairs.sort { $0.name < $1.name } }
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
