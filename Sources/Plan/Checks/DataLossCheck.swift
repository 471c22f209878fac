/// RC105: a field whose type changes, or a select field that loses choices, would lose the values it holds.
enum DataLossCheck {
    static func run(_ context: CheckContext) -> [CheckFinding] {
        var fields: [String: [String]] = [:]
        for change in context.plan.schemaChanges {
            switch change {
            case .manual(let item) where item.kind == .fieldTypeChanged:
                fields[item.table, default: []].append(item.field ?? item.table)
            case .updateField(let update):
                if let choices = update.choices, !Set(choices.before).isSubset(of: Set(choices.after)) {
                    fields[update.table, default: []].append(update.field)
                }
            default: break
            }
        }
        return fields.sorted { $0.key < $1.key }.map { table, names in
            let holding = (context.state.records[table] ?? [:]).values.filter { record in names.contains { record.values[$0] != nil } }.count
            return CheckFinding(code: .RC105, level: .error, table: table, count: names.count, total: holding,
                                message: "RC105 \(CheckContext.plural(names.count, "field")) of table '\(table)' (\(names.joined(separator: ", "))) "
                                    + "would change type or lose select choices; \(CheckContext.plural(holding, "managed record")) "
                                    + "\(holding == 1 ? "holds" : "hold") values there")
        }
    }
}
