import ReconCore

/// The plan for a pull request: summary first, one collapsible section per table, long plans cut with counts.
public struct PlanMarkdownRenderer {
    /// Rows shown per table before the rest is counted.
    public var rowsPerTable: Int
    /// GitHub refuses comments over 65,536 characters; stop well before.
    public var characterBudget: Int

    public init(rowsPerTable: Int = 50, characterBudget: Int = 60_000) {
        self.rowsPerTable = rowsPerTable
        self.characterBudget = characterBudget
    }

    public func render(_ plan: Plan) -> String {
        let view = PlanPresentation(plan)
        var out = "### Recon plan: \(plan.summary.line)\n\n"
        out += "Target `\(plan.target)` · state serial \(plan.serial) · manifests `\(plan.manifestDigest.prefix(12))`"
        if let run = plan.rollbackOf { out += " · rollback of run `\(run)`" }
        out += "\n"
        if let note = view.scopeNote { out += "\n> ⚠️ \(cell(note))\n" }
        if view.isEmpty {
            out += "\nNo changes. The base matches the manifests.\n"
        }
        out += CheckFindingRenderer.markdown(plan.findings)
        if !view.manual.isEmpty {
            out += "\n**Manual steps** (each blocks only the changes that depend on it):\n\n"
            for item in view.manual { out += "- ⚠️ \(cell(item.message)). \(cell(item.instructions))\n" }
        }
        if !view.conflicts.isEmpty {
            out += "\n**Conflicts** (\(cell(PlanPresentation.conflictsNote))):\n\n"
            for line in view.conflicts {
                out += "- ⚠️ \(code(line.headline))" + line.details.map { "<br>\(cell($0))" }.joined() + "\n"
            }
        }
        if !view.schema.isEmpty {
            out += section("Schema", "\(view.schema.count) change\(view.schema.count == 1 ? "" : "s")", view.schema, keyColumn: false)
        }
        var omittedTables: [String] = []
        for table in view.tables {
            if out.count > characterBudget {
                omittedTables.append("\(table.table) (\(table.lines.count))")
                continue
            }
            out += section(table.table, table.counts, table.lines, keyColumn: true)
        }
        if !omittedTables.isEmpty {
            out += "\n_Not shown to stay within the comment size: \(omittedTables.joined(separator: ", ")). See the JSON plan._\n"
        }
        if !view.notes.isEmpty {
            out += "\n" + view.notes.map { "- \(cell($0))" }.joined(separator: "\n") + "\n"
        }
        // The target and table names too: no terminal escape or bidi control reaches the comment.
        return ControlEscape.escapedKeepingLines(out)
    }

    private func section(_ title: String, _ counts: String, _ lines: [PlanPresentation.Line], keyColumn: Bool) -> String {
        var out = "\n<details><summary><b>\(cell(title))</b>: \(counts)</summary>\n\n"
        out += keyColumn ? "| | record | details |\n|---|---|---|\n" : "| | change | details |\n|---|---|---|\n"
        for line in lines.prefix(rowsPerTable) {
            let headline = keyColumn ? code(line.headline) : cell(line.headline)
            out += "| \(line.symbol) | \(headline) | \(line.details.map(cell).joined(separator: "<br>")) |\n"
        }
        if lines.count > rowsPerTable {
            out += "\n_… and \(lines.count - rowsPerTable) more (see the JSON plan or `recon show FILE`)._\n"
        }
        return out + "\n</details>\n"
    }

    /// Key first in code style, the rest as text.
    private func code(_ headline: String) -> String {
        guard let space = headline.firstIndex(of: " ") else { return "`\(cell(headline))`" }
        return "`\(cell(String(headline[..<space])))`\(cell(String(headline[space...])))"
    }

    private func cell(_ text: String) -> String { MarkdownCell.escape(text) }
}
