import ReconCore
import YAML

/// The cross-checks that need the whole merged manifest: names resolve, keys are usable,
/// protected fields exist, extract rules fit the schema.
struct ManifestValidator {
    /// What a file that failed to load may have declared: references to it are not reported.
    struct Unknown {
        /// Any table not declared elsewhere may be declared there.
        var tables: Bool
        /// The target may be there, so the provider (and its naming rules) is unknown.
        var target: Bool

        static let none = Unknown(tables: false, target: false)
    }

    let sink: DiagnosticSink
    var unknown = Unknown.none

    func validate(_ manifest: Manifest) {
        let tables = uniqueTables(manifest.tables)
        for table in manifest.tables { validate(table, tables: tables) }
        if manifest.target.provider == .sqlite, !unknown.target { SQLiteNameCheck(sink: sink).validate(manifest.tables) }
        if manifest.target.provider == .postgres, !unknown.target { PostgresNameCheck(sink: sink).validate(manifest.tables) }
        validateProtected(manifest.protected, tables: tables)
        var repoNames: [String: SourceLocation] = [:]
        for repo in manifest.repos {
            if let earlier = repoNames[repo.name] {
                sink.error(repo.location, "duplicate repo name '\(repo.name)'", hint: "first declared at \(earlier)")
            } else {
                repoNames[repo.name] = repo.location
            }
            for rule in repo.extract { validate(rule, tables: tables) }
        }
    }

    private func uniqueTables(_ tables: [TableSpec]) -> [String: TableSpec] {
        var byName: [String: TableSpec] = [:]
        for table in tables {
            if let earlier = byName[table.name] {
                sink.error(table.location, "duplicate table name '\(table.name)'", hint: "first declared at \(earlier.location)")
            } else {
                byName[table.name] = table
            }
        }
        return byName
    }

    private func validate(_ table: TableSpec, tables: [String: TableSpec]) {
        checkName(table.name, at: table.location, what: "table name")
        var fields: [String: FieldSpec] = [:]
        for field in table.fields {
            checkName(field.name, at: field.location, what: "field name", of: table.name)
            if let earlier = fields[field.name] {
                sink.error(field.location, "duplicate field name '\(field.name)' in table '\(table.name)'",
                           hint: "first declared at \(earlier.location)")
                continue
            }
            fields[field.name] = field
            if let old = field.renamedFrom, old.value == field.name || table.field(named: old.value) != nil {
                sink.error(old.location, "'renamed_from' of field '\(field.name)' in table '\(table.name)' names "
                           + (old.value == field.name ? "the field itself" : "the declared field '\(old.value)'"),
                           hint: "renamed_from gives the name the field had before; remove it, or name the old field")
            }
            if let linked = field.type.linkedTable, !linked.isEmpty, tables[linked] == nil, !unknown.tables {
                sink.error(field.linkLocation ?? field.location,
                           "field '\(field.name)' of table '\(table.name)' links to undeclared table '\(linked)'",
                           hint: hint(for: linked, among: tables.keys, noun: "tables"))
            }
        }
        if table.fields.isEmpty {
            // The fields list itself is wrong and already reported; a key error would only echo it.
        } else if let key = fields[table.key.value] {
            if !key.type.isText {
                sink.error(table.key.location, "key field '\(table.key.value)' of table '\(table.name)' is of type \(key.type.name.rawValue)",
                           hint: "a key field holds the entity's key as text: use singleLineText")
            }
        } else {
            sink.error(table.key.location, "key field '\(table.key.value)' is not a field of table '\(table.name)'",
                       hint: hint(for: table.key.value, among: fields.keys, noun: "fields"))
        }
        switch (table.onDelete, table.archiveField) {
        case (.archive, nil):
            sink.error(table.location, "table '\(table.name)' has 'on_delete: archive' but no 'archive_field'",
                       hint: "name a checkbox field that marks archived records")
        case (.archive, let archive?):
            if let field = fields[archive.value] {
                if field.type != .checkbox {
                    sink.error(archive.location, "archive field '\(archive.value)' of table '\(table.name)' must be a checkbox, found \(field.type.name.rawValue)")
                }
            } else {
                sink.error(archive.location, "archive field '\(archive.value)' is not a field of table '\(table.name)'",
                           hint: hint(for: archive.value, among: fields.keys, noun: "fields"))
            }
        case (_, let archive?):
            sink.error(archive.location, "'archive_field' applies only with 'on_delete: archive' in table '\(table.name)'")
        default:
            break
        }
    }

    /// Names reach SQL, terminals and plans: a control character there is refused (SQLite cannot
    /// hold NUL in a name; the others are invisible). Everything else is quoted by the providers.
    private func checkName(_ name: String, at location: SourceLocation, what: String, of table: String? = nil) {
        guard let control = name.unicodeScalars.first(where: ControlEscape.isControl) else { return }
        let owner = table.map { " of table \"\(ControlEscape.escaped($0))\"" } ?? ""
        let digits = String(control.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: 4 - digits.count) + digits
        sink.error(location, "\(what) \"\(ControlEscape.escaped(name))\"\(owner) holds a control character (\(code))",
                   hint: "names cannot hold control characters (U+0000–U+001F, U+007F–U+009F) or bidi controls (U+200E/F, U+202A–U+202E, U+2066–U+2069); rename it")
    }

    private func validateProtected(_ protected: [ProtectedSpec], tables: [String: TableSpec]) {
        for spec in protected {
            guard let table = tables[spec.table.value] else {
                if unknown.tables { continue }
                sink.error(spec.table.location, "protected fields name undeclared table '\(spec.table.value)'",
                           hint: hint(for: spec.table.value, among: tables.keys, noun: "tables"))
                continue
            }
            for field in spec.fields {
                if field.value == table.key.value {
                    sink.error(field.location, "key field '\(field.value)' of table '\(table.name)' cannot be protected",
                               hint: "Recon writes the key of every record it manages")
                } else if table.field(named: field.value) == nil {
                    sink.error(field.location, "protected field '\(field.value)' is not a field of table '\(table.name)'",
                               hint: hint(for: field.value, among: table.fields.map(\.name), noun: "fields"))
                }
            }
        }
    }

    private func validate(_ rule: ExtractRule, tables: [String: TableSpec]) {
        guard let table = tables[rule.table.value] else {
            if unknown.tables { return }
            sink.error(rule.table.location, "extract rule names undeclared table '\(rule.table.value)'",
                       hint: hint(for: rule.table.value, among: tables.keys, noun: "tables"))
            return
        }
        if rule.format == .markdown, rule.each != nil {
            sink.error(rule.location, "'each' needs structured data (as: frontmatter, json or yaml), not as: markdown")
        }
        for mapping in rule.fields {
            let name = mapping.field.value
            if case .builtin(let builtin) = mapping.source, builtin.readsMarkdownBody,
               rule.format == .json || rule.format == .yaml {
                sink.error(mapping.field.location, "'$\(builtin.rawValue)' reads a Markdown body, but this rule reads \(rule.format.rawValue)",
                           hint: "$title $summary $words $links apply to as: frontmatter or as: markdown")
            }
            if case .keyPath(let path) = mapping.source, rule.format == .markdown {
                sink.error(mapping.field.location, "key path '\(path.joined(separator: "."))' needs structured data, but this rule reads plain markdown",
                           hint: "use as: frontmatter to read front matter, or a built-in ($title $summary $words $links)")
            }
            guard let field = table.field(named: name) else {
                sink.error(mapping.field.location, "'\(name)' is not a field of table '\(table.name)'",
                           hint: hint(for: name, among: table.fields.map(\.name), noun: "fields"))
                continue
            }
            if name == table.key.value {
                sink.error(mapping.field.location, "key field '\(name)' of table '\(table.name)' is filled by Recon",
                           hint: "every record's key is its stable 'repo:path'; remove this mapping")
                continue
            }
            switch mapping.source {
            case .link(let link):
                guard let linked = field.type.linkedTable else {
                    sink.error(mapping.field.location, "'\(name)' is a \(field.type.name.rawValue) field, not a link",
                               hint: "a {link: ...} mapping fills a multipleRecordLinks field")
                    break
                }
                // An undeclared linked table is reported on the field; repeating it here would only echo.
                if link.table.value != linked, tables[linked] != nil {
                    sink.error(link.table.location, "'\(name)' links to table '\(linked)', but the mapping links to '\(link.table.value)'")
                }
            case .constant(let node):
                checkConstant(node, for: field, table: table.name)
            case .keyPath, .builtin:
                if field.type.linkedTable != nil, case .keyPath = mapping.source {
                    sink.error(mapping.field.location, "link field '\(name)' needs a {link: \(field.type.linkedTable!)} mapping")
                }
            }
        }
    }

    private func checkConstant(_ node: Node, for field: FieldSpec, table: String) {
        let what = "the constant for '\(field.name)' of table '\(table)'"
        switch field.type {
        case .checkbox where node.bool == nil:
            sink.error(node.location, "expected true or false for \(what), found \(node.summary)")
        case .number where node.double == nil:
            sink.error(node.location, "expected a number for \(what), found \(node.summary)")
        case .singleSelect(let choices):
            if let text = node.scalar, !choices.contains(text) {
                sink.error(node.location, "'\(text)' is not a choice of \(field.name)", hint: "choices: " + choices.joined(separator: ", "))
            }
        case .multipleSelects(let choices):
            let items = node.sequence ?? [node]
            for item in items {
                if let text = item.scalar, !choices.contains(text) {
                    sink.error(item.location, "'\(text)' is not a choice of \(field.name)", hint: "choices: " + choices.joined(separator: ", "))
                }
            }
        case .multipleRecordLinks:
            sink.error(node.location, "\(what) cannot be a constant", hint: "use {link: \(field.type.linkedTable ?? "Table"), key: KEY}")
        default:
            if node.scalar == nil && !field.type.isList {
                sink.error(node.location, "expected a single value for \(what), found \(node.summary)")
            }
        }
    }

    private func hint(for name: String, among names: some Sequence<String>, noun: String) -> String {
        let sorted = names.sorted()
        let known = sorted.isEmpty ? "no \(noun) are declared" : "declared \(noun): " + sorted.joined(separator: ", ")
        return Suggestion.hint(name, among: sorted, known: known)
    }
}
