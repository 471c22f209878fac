import ReconCore

/// `--target TABLE/KEY` and `--exclude TABLE/KEY` must name a record the desired records, the state or the base
/// hold: a key that matches nothing would plan "No changes" (or exclude nothing) and read as intended. Pure, like
/// the planner.
public enum TargetMatch {
    /// The option a name came from.
    public enum Flag: String, Sendable {
        case target
        case exclude
    }

    public struct Miss: Sendable, Equatable {
        public var flag: Flag = .target
        /// `TABLE/KEY` as given.
        public var target: String
        /// The closest key that does exist, if one is close.
        public var suggestion: String?
    }

    /// The `TABLE/KEY` targets, then exclusions, of `input.scope` that name no record, sorted. Tables are checked
    /// by the caller.
    public static func misses(_ input: PlanInput) -> [Miss] {
        let scope = input.scope
        guard !scope.keys.isEmpty || !scope.excludedKeys.isEmpty else { return [] }
        let named = Set(scope.keys.keys).union(scope.excludedKeys.keys)
        let tables = SchemaPlanner(manifest: input.manifest, remote: input.remote.schema, state: input.state,
                                   scope: PlanScope(tables: named, keys: [:], repos: [])).plan().tables
        var knownByTable: [String: Set<String>] = [:]
        for table in named {
            var known = Set(input.state.records[table]?.keys.map { $0 } ?? [])
            for record in input.desired where record.table == table { known.insert(record.key) }
            if let resolved = tables[table], resolved.remote != nil {
                // The key field as the base names it (a field renamed in the base keeps its id).
                let keyName = resolved.remoteNames[resolved.spec.key.value] ?? resolved.spec.key.value
                for record in input.remote.records[table] ?? [] {
                    if case .text(let key)? = record.fields[keyName] { known.insert(key) }
                }
            }
            knownByTable[table] = known
        }
        var misses: [Miss] = []
        for (flag, keys) in [(Flag.target, scope.keys), (Flag.exclude, scope.excludedKeys)] {
            for table in keys.keys.sorted() {
                let known = knownByTable[table] ?? []
                for key in keys[table]!.sorted() where !known.contains(key) {
                    // Only keys of about the same length can be close; this keeps a 100,000-key table cheap.
                    let near = known.filter { abs($0.count - key.count) <= 3 }
                    misses.append(Miss(flag: flag, target: "\(table)/\(key)", suggestion: Suggestion.closest(to: key, in: near)))
                }
            }
        }
        return misses
    }
}
