import ReconCore

/// PostgreSQL cuts names past 63 bytes without a word, so two long names would become one table or column:
/// refused at validate, with their location, not half-way through apply. `_recon_id` holds the record id.
struct PostgresNameCheck {
    let sink: DiagnosticSink

    static let maxBytes = 63
    static let reservedColumn = "_recon_id"

    func validate(_ tables: [TableSpec]) {
        for table in tables {
            check(table.name, what: "table name", at: table.location)
            for field in table.fields {
                check(field.name, what: "field name", of: table.name, at: field.location)
                if field.name == Self.reservedColumn {
                    sink.error(field.location, "field name '\(Self.reservedColumn)' of table '\(ControlEscape.escaped(table.name))' is reserved by the PostgreSQL provider",
                               hint: "'\(Self.reservedColumn)' holds the record id; rename the field")
                }
            }
        }
    }

    private func check(_ name: String, what: String, of table: String? = nil, at location: SourceLocation) {
        let count = name.utf8.count
        guard count > Self.maxBytes else { return }
        let owner = table.map { " of table '\(ControlEscape.escaped(NameLimit.shown($0)))'" } ?? ""
        sink.error(location, "\(what) '\(ControlEscape.escaped(NameLimit.shown(name)))'\(owner) is \(count) bytes long; PostgreSQL names hold at most \(Self.maxBytes)",
                   hint: "PostgreSQL would cut it silently; shorten it (bytes count, not characters)")
    }
}
