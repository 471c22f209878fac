/// RC103: apply would overwrite values people changed in the base (a drift restore, or a conflict the manifests win).
enum DriftRestoreCheck {
    static func run(_ context: CheckContext) -> [CheckFinding] {
        context.byTable((records: 0, fields: 0)) { overwritten, change in
            guard change.blockedBy == nil else { return }
            let fields = change.fields.reduce(0) { $0 + ($1.kind == .drift || $1.kind == .conflict ? 1 : 0) }
            if fields > 0 { overwritten = (overwritten.records + 1, overwritten.fields + fields) }
        }.compactMap { table, overwritten in
            guard overwritten.records > 0 else { return nil }
            return CheckFinding(code: .RC103, level: .warning, table: table, count: overwritten.records,
                                message: "RC103 apply overwrites \(CheckContext.plural(overwritten.fields, "value")) changed in the base in "
                                    + "\(CheckContext.plural(overwritten.records, "record")) of table '\(table)'")
        }
    }
}
