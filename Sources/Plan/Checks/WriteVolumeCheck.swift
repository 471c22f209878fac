/// RC106: one plan writes more than `max_records` records of one table (off unless the manifests turn it on).
enum WriteVolumeCheck {
    static func run(_ context: CheckContext) -> [CheckFinding] {
        let limit = context.rule(.RC106).maxRecords
        return context.byTable(0) { written, change in if change.blockedBy == nil && change.writesBase { written += 1 } }.compactMap { table, written in
            guard written > limit else { return nil }
            return CheckFinding(code: .RC106, level: .off, table: table, count: written, total: limit,
                                message: "RC106 the plan writes \(CheckContext.plural(written, "record")) of table '\(table)', more than the \(limit) allowed")
        }
    }
}
