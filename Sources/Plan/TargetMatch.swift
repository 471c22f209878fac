import ReconCore

/// `--target TABLE/KEY` must name a record the desired records, the state or the base hold: a key that
/// matches nothing would plan "No changes" and read as "in sync". Pure, like the planner.
public enum TargetMatch {
    public struct Miss: Sendable, Equatable {
        /// `TABLE/KEY` as given.
        public var target: String
        /// The closest key that does exist, if one is close.
        public var suggestion: String?
    }

    /// The `TABLE/KEY` targets of `input.scope` that name no record, sorted. Tables are checked by the caller.
    public static func misses(_ input: PlanInput) -> [Miss] {
        guard !input.scope.keys.isEmpty else { return [] }
        let tables = SchemaPlanner(manifest: input.manifest, remote: input.remote.schema, state: input.state, scope: input.scope).plan().tables
        var misses: [Miss] = []
        for table in input.scope.keys.keys.sorted() {
            var known = Set(input.state.records[table]?.keys.map { $0 } ?? [])
            for record in input.desired where record.table == table { known.insert(record.key) }
            if let resolved = tables[table], resolved.remote != nil {
                // The key field as the base names it (a field renamed in the base keeps its id).
                let keyName = resolved.remoteNames[resolved.spec.key.value] ?? resolved.spec.key.value
                for record in input.remote.records[table] ?? [] {
                    if case .text(let key)? = record.fields[keyName] { known.insert(key) }
                }
            }
            for key in input.scope.keys[table]!.sorted() where !known.contains(key) {
                // Only keys of about the same length can be close; this keeps a 100,000-key table cheap.
                let near = known.filter { abs($0.count - key.count) <= 3 }
                misses.append(Miss(target: "\(table)/\(key)", suggestion: Suggestion.closest(to: key, in: near)))
            }
        }
        return misses
    }
}
