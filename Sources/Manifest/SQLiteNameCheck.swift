import ReconCore

/// SQLite compares table and column names ignoring ASCII case, so `Docs` and `DOCS` are one table and
/// `_RECON_tables` is Recon's metadata: refused at validate, with their location, not half-way through apply.
struct SQLiteNameCheck {
    let sink: DiagnosticSink

    static let reservedTablePrefixes = ["_recon_", "sqlite_"]
    static let reservedColumn = "_recon_id"

    func validate(_ tables: [TableSpec]) {
        var seen: [String: TableSpec] = [:]
        for table in tables {
            let folded = Self.folded(table.name)
            if let prefix = Self.reservedTablePrefixes.first(where: folded.hasPrefix) {
                sink.error(table.location, "table name '\(ControlEscape.escaped(table.name))' is reserved by the SQLite provider",
                           hint: "names starting with '\(prefix)' in any case cannot be used; rename the table")
            } else if let earlier = seen[folded], earlier.name != table.name {
                sink.error(table.location, "table name '\(ControlEscape.escaped(table.name))' is the same as '\(ControlEscape.escaped(earlier.name))' to SQLite, which compares names ignoring case",
                           hint: "first declared at \(earlier.location); rename one of them")
            }
            if seen[folded] == nil { seen[folded] = table }
            validateFields(of: table)
        }
    }

    private func validateFields(of table: TableSpec) {
        var seen: [String: FieldSpec] = [:]
        for field in table.fields {
            let folded = Self.folded(field.name)
            if folded == Self.reservedColumn {
                sink.error(field.location, "field name '\(ControlEscape.escaped(field.name))' of table '\(ControlEscape.escaped(table.name))' is reserved by the SQLite provider",
                           hint: "'\(Self.reservedColumn)' in any case holds the record id; rename the field")
            } else if let earlier = seen[folded], earlier.name != field.name {
                sink.error(field.location, "field name '\(ControlEscape.escaped(field.name))' of table '\(ControlEscape.escaped(table.name))' is the same as '\(ControlEscape.escaped(earlier.name))' to SQLite, which compares names ignoring case",
                           hint: "first declared at \(earlier.location); rename one of them")
            }
            if seen[folded] == nil { seen[folded] = field }
        }
    }

    /// ASCII letters lowered, everything else kept: how SQLite folds identifiers.
    static func folded(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
    }
}
