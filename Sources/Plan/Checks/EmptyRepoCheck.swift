/// RC102: a declared repo yields no records while the state holds records from it: a broken ref, path or glob
/// must not delete everything the repo made.
enum EmptyRepoCheck {
    static func run(_ context: CheckContext) -> [CheckFinding] {
        let scope = context.plan.scope
        let yielding = Set(context.desired.map(\.provenance.repo))
        var findings: [CheckFinding] = []
        for repo in context.manifest.repos.map(\.name) where !yielding.contains(repo) && (scope.repos.isEmpty || scope.repos.contains(repo)) {
            for table in context.state.records.keys.sorted() where scope.tables.isEmpty || scope.tables.contains(table) {
                let held = context.state.records[table]!.keys.filter { $0.hasPrefix(repo + ":") }.count
                guard held > 0 else { continue }
                let removed = context.plan.recordChanges.filter { $0.table == table && $0.key.hasPrefix(repo + ":") && $0.reason == .noLongerDesired }.count
                findings.append(CheckFinding(
                    code: .RC102, level: .error, table: table, repo: repo, count: removed, total: held,
                    message: "RC102 repo '\(repo)' yields no records, but the state holds \(CheckContext.plural(held, "record")) of table '\(table)' "
                        + "from it; the plan would remove \(removed) (check the repo's ref, path and globs)"))
            }
        }
        return findings
    }
}
