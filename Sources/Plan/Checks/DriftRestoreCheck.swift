/// RC103: apply would overwrite values people changed in the base (a drift restore, or a conflict the manifests win).
enum DriftRestoreCheck {
    static func run(_ context: CheckContext) -> [CheckFinding] {
        context.changesByTable.compactMap { table, changes in
            let overwritten = changes.filter { $0.blockedBy == nil && $0.fields.contains { $0.kind == .drift || $0.kind == .conflict } }
            guard !overwritten.isEmpty else { return nil }
            let fields = overwritten.reduce(0) { $0 + $1.fields.filter { $0.kind == .drift || $0.kind == .conflict }.count }
            return CheckFinding(code: .RC103, level: .warning, table: table, count: overwritten.count,
                                message: "RC103 apply overwrites \(CheckContext.plural(fields, "value")) changed in the base in "
                                    + "\(CheckContext.plural(overwritten.count, "record")) of table '\(table)'")
        }
    }
}
