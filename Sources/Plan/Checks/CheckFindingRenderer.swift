import ReconCore

/// The findings section of the text and Markdown plans: one line per finding with how to allow it.
public enum CheckFindingRenderer {
    public static func text(_ findings: [CheckFinding], style: (String, TextStyle) -> String = { text, _ in text }) -> String {
        guard !findings.isEmpty else { return "" }
        var out = "\n" + style("Checks", .bold) + " (errors stop apply)\n"
        for finding in findings {
            let mark = finding.level == .error ? style("error", .red) : style("warning", .yellow)
            out += "  \(mark) \(ControlEscape.escaped(finding.message))\n      \(finding.allow)\n"
        }
        return out
    }

    /// `recon check --format json`: the findings with the same members as in the plan file, plus how to allow each.
    public static func json(_ findings: [CheckFinding], exitCode: Int) -> String {
        let items: [JSONValue] = findings.map { finding in
            var members: [String: JSONValue] = [
                "code": .string(finding.code.rawValue), "level": .string(finding.level.rawValue), "table": .string(finding.table),
                "count": .number(Double(finding.count)), "message": .string(finding.message), "allow": .string(finding.allow),
            ]
            if let repo = finding.repo { members["repo"] = .string(repo) }
            if let total = finding.total { members["total"] = .number(Double(total)) }
            return .object(members)
        }
        let document: JSONValue = .object(["format_version": 1, "findings": .array(items), "exit_code": .number(Double(exitCode)),
                                           "errors": .number(Double(findings.filter { $0.level == .error }.count)),
                                           "warnings": .number(Double(findings.filter { $0.level == .warning }.count))])
        return document.canonicalString(pretty: true)
    }

    public static func markdown(_ findings: [CheckFinding]) -> String {
        guard !findings.isEmpty else { return "" }
        var out = "\n**Checks** (errors stop apply):\n\n"
        for finding in findings {
            let mark = finding.level == .error ? "⛔ error" : "⚠️ warning"
            out += "- \(mark) \(MarkdownCell.escape(finding.message)). \(finding.allow.prefix(1).uppercased() + finding.allow.dropFirst()).\n"
        }
        return out
    }
}
