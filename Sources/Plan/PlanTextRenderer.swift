import ReconCore

/// The plan for a terminal, Terraform-style. Colour only when the caller says so.
public struct PlanTextRenderer {
    public var color: Bool
    /// `.concise` cuts each table of a large plan to its first changes and a count (`PlanTextCut`).
    public var detail: PlanDetail

    public init(color: Bool, detail: PlanDetail = .concise) {
        self.color = color
        self.detail = detail
    }

    public func render(_ plan: Plan) -> String {
        let view = PlanPresentation(plan)
        let scope = view.scopeNote.map { style(shown($0), .yellow) + "\n\n" } ?? ""
        if view.isEmpty {
            var out = "No changes. The base matches the manifests.\n"
            for note in view.notes { out += "\n\(note)\n" }
            return scope + shown(out, lines: true) + CheckFindingRenderer.text(plan.findings, style: style)
        }
        var out = scope + "Recon will make these changes to \(shown(plan.target))"
        if let run = plan.rollbackOf { out += " to roll back run \(run)" }
        out += ":\n"
        if !view.schema.isEmpty {
            out += "\n" + style("Schema", .bold) + "\n"
            for line in view.schema { out += render(line) }
        }
        if !view.manual.isEmpty {
            out += "\n" + style("Manual steps", .bold) + " (each blocks only the changes that depend on it)\n"
            for item in view.manual {
                out += "  " + style("!", .red) + " \(shown(item.message))\n      \(shown(item.instructions))\n"
            }
        }
        if !view.conflicts.isEmpty {
            out += "\n" + style("Conflicts", .bold) + " (\(PlanPresentation.conflictsNote))\n"
            for line in view.conflicts { out += render(line) }
        }
        let cut = PlanTextCut.applies(to: plan, detail: detail)
        for section in view.tables {
            out += "\n" + style(shown(section.table), .bold) + ": \(section.counts)\n"
            guard cut else {
                for line in section.lines { out += render(line) }
                continue
            }
            let (lines, rest) = PlanTextCut.select(section)
            for index in lines { out += render(section.line(at: index)) }
            if let rest { out += "  " + style(shown(rest), .dim) + "\n" }
        }
        out += CheckFindingRenderer.text(plan.findings, style: style)
        for note in view.notes { out += "\n\(shown(note))\n" }
        out += "\n" + style("Plan:", .bold) + " \(plan.summary.line).\n"
        return out
    }

    private func render(_ line: PresentationLine) -> String {
        var out = "  " + style(line.symbol, line.style) + " \(shown(line.headline))\n"
        for detail in line.details { out += "      \(shown(detail))\n" }
        return out
    }

    /// Names and values from input, escaped before any colour is added (`ControlEscape`).
    private func shown(_ text: String, lines: Bool = false) -> String {
        lines ? ControlEscape.escapedKeepingLines(text) : ControlEscape.escaped(text)
    }

    private func style(_ text: String, _ style: TextStyle) -> String {
        color ? style.apply(to: text) : text
    }
}

typealias PresentationLine = PlanPresentation.Line
