/// RC101: a plan that deletes more than `max_percent` of a table's managed records.
enum DeletionShareCheck {
    static func run(_ context: CheckContext) -> [CheckFinding] {
        let limit = context.rule(.RC101).maxPercent
        return context.byTable(0) { deletes, change in if change.action == .delete { deletes += 1 } }.compactMap { table, deletes in
            let managed = context.state.records[table]?.count ?? 0
            guard deletes > 0, managed > 0, Double(deletes) * 100 > limit * Double(managed) else { return nil }
            let percent = (Double(deletes) * 1000 / Double(managed)).rounded() / 10
            return CheckFinding(code: .RC101, level: .error, table: table, count: deletes, total: managed,
                                message: "RC101 the plan deletes \(deletes) of the \(CheckContext.plural(managed, "managed record")) of table '\(table)' "
                                    + "(\(PercentText.percent(percent))%, more than the \(PercentText.percent(limit))% allowed)")
        }
    }
}

/// Numbers as the findings print them: no trailing `.0`.
enum PercentText {
    static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
