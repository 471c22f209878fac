import ReconCore

/// The plan as a pull-request comment: a hidden marker line, the summary, target, digests and scope, check
/// findings, then one collapsible section per table. It stays under GitHub's comment limit: what does not fit
/// is counted (`… 1,204 more changes in Skills not shown (see the plan file)`).
public struct PlanMarkdownRenderer {
    /// Rows shown per table before the rest is counted.
    public var rowsPerTable: Int
    /// What the summary, lists and sections may take; the counts of what was cut and the notes come on top, within
    /// `MarkdownComment.limit`.
    public var characterBudget: Int

    /// Room kept in each section for its closing and its count of rows cut.
    static let sectionReserve = 300
    /// What the notes below the tables may take.
    static let notesBudget = 4_000
    /// Tables left out entirely that are named one by one (within `omittedBudget`); the rest are counted together.
    static let omittedTablesNamed = 20
    static let omittedBudget = 4_000

    public init(rowsPerTable: Int = 50, characterBudget: Int = 56_000) {
        self.rowsPerTable = rowsPerTable
        self.characterBudget = characterBudget
    }

    public func render(_ plan: Plan) -> String {
        let view = PlanPresentation(plan)
        var out = MarkdownComment()
        out.add(MarkdownComment.marker(target: plan.target) + "\n")
        out.add("### Recon plan: \(plan.summary.line)\n\n")
        var header = "Target `\(cell(plan.target))` · state serial \(plan.serial) · manifests `\(plan.manifestDigest.prefix(12))`"
        header += " · plan `\(PlanFile.digest(of: plan))`"
        if let run = plan.rollbackOf { header += " · rollback of run `\(cell(run))`" }
        out.add(header + "\n")
        if let note = view.scopeNote { out.add("\n> ⚠️ \(cell(note))\n") }
        let budget = characterBudget
        out.add(CheckFindingRenderer.markdown(plan.findings))
        if view.isEmpty { out.add("\nNo changes. The base matches the manifests.\n") }
        list("**Manual steps** (each blocks only the changes that depend on it):",
             view.manual.map { "⚠️ \(cell($0.message)). \(cell($0.instructions))" }, noun: "manual step", into: &out, budget: budget)
        list("**Conflicts** (\(cell(PlanPresentation.conflictsNote))):",
             view.conflicts.map { "⚠️ \(code($0.headline))" + $0.details.map { "<br>\(cell($0))" }.joined() },
             noun: "conflict", into: &out, budget: budget)
        // Counted as the summary line counts them: a field no longer managed changes nothing in the base.
        let changes = plan.summary.schema
        let unmanaged = plan.schemaChanges.filter { if case .unmanageField = $0 { true } else { false } }.count
        let schemaCounts = ValueDiff.counted(changes, "change") + (unmanaged > 0 ? ", \(ValueDiff.counted(unmanaged, "field")) no longer managed" : "")
        if !view.schema.isEmpty, !section("Schema", schemaCounts, view.schema, keyColumn: false, into: &out, budget: budget) {
            out.add("\n_… \(ValueDiff.counted(view.schema.count, "schema change")) not shown (see the plan file)._\n")
        }
        var omitted: [(table: String, changes: Int)] = []
        for table in view.tables where !section(table.table, table.counts, table.lines, keyColumn: true, into: &out, budget: budget) {
            omitted.append((table.table, table.changes.count))
        }
        var named = 0
        for table in omitted where named < Self.omittedTablesNamed {
            let line = "\n_… \(ValueDiff.counted(table.changes, "change")) in \(cell(table.table)) not shown (see the plan file)._\n"
            guard out.add(line, within: characterBudget + Self.omittedBudget) else { break }
            named += 1
        }
        let rest = omitted.dropFirst(named)
        if !rest.isEmpty {
            out.add("\n_… \(named > 0 ? "and " : "")\(ValueDiff.counted(rest.count, named > 0 ? "more table" : "table")) with "
                + "\(ValueDiff.counted(rest.reduce(0) { $0 + $1.changes }, "change")) not shown (see the plan file)._\n")
        }
        if !view.notes.isEmpty {
            out.add("\n")
            list(nil, view.notes.map(cell), noun: "note", into: &out,
                 budget: min(out.count + Self.notesBudget, MarkdownComment.limit - Self.sectionReserve))
        }
        return out.text
    }

    /// A bulleted list under its heading, as many items as fit and a count of the rest; nothing when empty.
    private func list(_ heading: String?, _ items: [String], noun: String, into out: inout MarkdownComment, budget: Int) {
        guard !items.isEmpty else { return }
        if let heading { out.add("\n\(heading)\n\n") }
        var shown = 0
        for item in items {
            guard out.add("- \(item)\n", within: budget - Self.sectionReserve) else { break }
            shown += 1
        }
        if shown < items.count {
            out.add("- … \(ValueDiff.counted(items.count - shown, shown == 0 ? noun : "more \(noun)")) not shown (see the plan file)\n")
        }
    }

    /// One collapsible section; false when not even its heading fits.
    private func section(_ title: String, _ counts: String, _ lines: [PlanPresentation.Line], keyColumn: Bool,
                         into out: inout MarkdownComment, budget: Int) -> Bool {
        // The cut count names the table: its room is kept too, however long the name.
        let room = budget - Self.sectionReserve - 2 * cell(title).unicodeScalars.count
        let head = "\n<details><summary><b>\(cell(title))</b>: \(counts)</summary>\n\n"
            + (keyColumn ? "| | record | details |\n|---|---|---|\n" : "| | change | details |\n|---|---|---|\n")
        guard out.add(head, within: room) else { return false }
        var shown = 0
        for line in lines.prefix(rowsPerTable) {
            let headline = keyColumn ? code(line.headline) : cell(line.headline)
            guard out.add("| \(line.symbol) | \(headline) | \(line.details.map(cell).joined(separator: "<br>")) |\n", within: room) else { break }
            shown += 1
        }
        if shown < lines.count {
            out.add("\n_… \(ValueDiff.counted(lines.count - shown, "more change")) in \(cell(title)) not shown (see the plan file)._\n")
        }
        out.add("\n</details>\n")
        return true
    }

    /// Key first in code style, the rest as text.
    private func code(_ headline: String) -> String {
        guard let space = headline.firstIndex(of: " ") else { return "`\(cell(headline))`" }
        return "`\(cell(String(headline[..<space])))`\(cell(String(headline[space...])))"
    }

    private func cell(_ text: String) -> String { MarkdownCell.escape(text) }
}
