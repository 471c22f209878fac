/// RC104: schema differences someone has to resolve by hand; the changes that depend on them wait.
enum ManualSchemaCheck {
    static func run(_ context: CheckContext) -> [CheckFinding] {
        Dictionary(grouping: context.plan.manualItems, by: \.table).sorted { $0.key < $1.key }.map { table, items in
            let blocked = context.plan.recordChanges.filter { $0.table == table && $0.blockedBy != nil }.count
            return CheckFinding(code: .RC104, level: .warning, table: table, count: items.count,
                                message: "RC104 table '\(table)' has \(CheckContext.plural(items.count, "manual schema item")) "
                                    + "(\(items.map(\.id).joined(separator: ", "))); \(CheckContext.plural(blocked, "record change")) \(blocked == 1 ? "waits" : "wait") on them")
        }
    }
}
